package dev.continuum.engine.internal.ops.math;

/** The portable float32 loops: the reference of {@link VectorFloatKernels} and the path without SIMD. */
final class ScalarFloatKernels extends FloatKernels {
    static final ScalarFloatKernels INSTANCE = new ScalarFloatKernels();

    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;

    private ScalarFloatKernels() {
    }

    @Override
    void binary(Op op, float[] a, int ao, float[] b, int bo, float[] r, int ro, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] / b[bo + i];
                }
            }
        }
    }

    @Override
    void binaryScalarRight(Op op, float[] a, int ao, float s, float[] r, int ro, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] - s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = a[ao + i] / s;
                }
            }
        }
    }

    @Override
    void binaryScalarLeft(Op op, float s, float[] b, int bo, float[] r, int ro, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = s + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = s - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = s * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = s / b[bo + i];
                }
            }
        }
    }

    @Override
    void unary(Unary f, float[] x, int xo, float[] r, int ro, int n) {
        for (int i = 0; i < n; i++) {
            r[ro + i] = apply(f, x[xo + i]);
        }
    }

    /** The reference value of {@code f} at {@code v}: the double-precision function rounded to float. */
    static float apply(Unary f, float v) {
        return switch (f) {
            case RELU -> v > 0 ? v : v == v ? 0f : v;
            case SIGMOID -> (float) sigmoid(v);
            case TANH -> (float) Math.tanh(v);
            case ERF -> (float) ErfMath.erfForFloat(v);
            case GELU -> (float) (0.5 * v * (1.0 + ErfMath.erfForFloat(v * SQRT_HALF)));
            case GELU_TANH -> (float) (0.5 * v * (1.0 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))));
            case SQRT -> (float) Math.sqrt(v);
            case SQUARE -> v * v;
            case EXP -> (float) Math.exp(v);
        };
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    void clip(float[] x, int xo, float lo, float hi, float[] r, int ro, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            v = v < lo ? lo : v;
            r[ro + i] = v > hi ? hi : v;
        }
    }

    @Override
    void where(byte[] c, int co, float[] a, int ao, float[] b, int bo, float[] r, int ro, int n) {
        for (int i = 0; i < n; i++) {
            r[ro + i] = c[co + i] != 0 ? a[ao + i] : b[bo + i];
        }
    }
}
