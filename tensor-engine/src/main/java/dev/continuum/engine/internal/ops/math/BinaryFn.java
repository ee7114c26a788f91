package dev.continuum.engine.internal.ops.math;

/** A scalar binary function in each {@link Lane}; the long form also gets a uint64 variant. */
interface BinaryFn {
    float f(float a, float b);

    double d(double a, double b);

    long l(long a, long b);

    /** The function on uint64 bit patterns; the signed form unless signedness matters. */
    default long u(long a, long b) {
        return l(a, b);
    }
}
