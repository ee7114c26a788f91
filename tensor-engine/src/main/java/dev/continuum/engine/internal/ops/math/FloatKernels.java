package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.internal.gemm.Simd;

/**
 * Float32 array loops of the elementwise ops, over {@code n} elements from the given offsets. {@link
 * #get()} is the Vector API implementation when {@link Simd#enabled()}, else {@link #scalar()}, the
 * reference the differential tests compare against. Outputs may alias an input at the same offset.
 */
abstract class FloatKernels {
    /** The binary arithmetic functions with a float32 fast path. */
    enum Op {
        ADD, SUB, MUL, DIV;

        /** The fast-path op of {@code fn}, or null when it has none. */
        static Op of(BinaryFn fn) {
            if (fn instanceof Arith a) {
                return switch (a) {
                    case ADD -> ADD;
                    case SUB -> SUB;
                    case MUL -> MUL;
                    case DIV -> DIV;
                    default -> null;
                };
            }
            return null;
        }

        float apply(float a, float b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
            };
        }
    }

    /** The unary functions with a float32 fast path. */
    enum Unary {
        RELU, SIGMOID, TANH, ERF, GELU, GELU_TANH, SQRT, SQUARE, EXP
    }

    private static final FloatKernels BEST = select();

    static FloatKernels get() {
        return BEST;
    }

    static FloatKernels scalar() {
        return ScalarFloatKernels.INSTANCE;
    }

    private static FloatKernels select() {
        if (!Simd.enabled()) {
            return ScalarFloatKernels.INSTANCE;
        }
        try {
            return (FloatKernels) Class.forName("dev.continuum.engine.internal.ops.math.VectorFloatKernels")
                    .getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarFloatKernels.INSTANCE;
        }
    }

    /** {@code r[ro + i] = a[ao + i] op b[bo + i]}. */
    abstract void binary(Op op, float[] a, int ao, float[] b, int bo, float[] r, int ro, int n);

    /** {@code r[ro + i] = a[ao + i] op s}. */
    abstract void binaryScalarRight(Op op, float[] a, int ao, float s, float[] r, int ro, int n);

    /** {@code r[ro + i] = s op b[bo + i]}. */
    abstract void binaryScalarLeft(Op op, float s, float[] b, int bo, float[] r, int ro, int n);

    /** {@code r[ro + i] = f(x[xo + i])}. */
    abstract void unary(Unary f, float[] x, int xo, float[] r, int ro, int n);

    /** {@code r[ro + i] = min(max(x[xo + i], lo), hi)}, NaN kept. */
    abstract void clip(float[] x, int xo, float lo, float hi, float[] r, int ro, int n);

    /** {@code r[ro + i] = c[co + i] != 0 ? a[ao + i] : b[bo + i]}. */
    abstract void where(byte[] c, int co, float[] a, int ao, float[] b, int bo, float[] r, int ro, int n);
}
