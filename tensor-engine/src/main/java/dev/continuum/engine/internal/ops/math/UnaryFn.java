package dev.continuum.engine.internal.ops.math;

/**
 * A scalar function of one floating-point value. The float form defaults to the double form rounded,
 * which is at least as accurate as a float computation; cheap functions override it.
 */
@FunctionalInterface
interface UnaryFn {
    double d(double x);

    default float f(float x) {
        return (float) d(x);
    }
}
