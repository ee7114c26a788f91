package dev.continuum.engine.internal.ops.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.continuum.engine.internal.gemm.Simd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatKernels#get()} (the Vector API loops when SIMD is on) against {@link
 * FloatKernels#scalar()} on odd sizes and offsets, with special values (NaN, infinities, signed
 * zeros, huge and tiny magnitudes). Tolerance per function: |got - want| <= atol + rtol * |want|;
 * 0 for the functions that must agree bit for bit (up to the sign of zero).
 */
class FloatKernelsDifferentialTest {
    private static final int[] SIZES = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1023};
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        1e-30f, -1e-30f, 1e-6f, -1e-6f, 0.5f, -0.5f, 0.6249f, 0.6251f, -0.6251f, 3.9f, -3.9f, 4.5f, -4.5f, 9f, -9f,
        20f, -20f, 87f, -87f, 88.5f, -88.5f, 100f, -100f, 3e38f, -3e38f};

    private final FloatKernels best = FloatKernels.get();
    private final FloatKernels ref = FloatKernels.scalar();

    @Test
    void theVectorKernelIsUsedWhenSimdIsOn() {
        assertThat(best != ref).isEqualTo(Simd.enabled());
    }

    @Test
    void unaryFunctionsMatchTheScalarReference() {
        for (FloatKernels.Unary f : FloatKernels.Unary.values()) {
            double[] tol = switch (f) {
                case RELU, SQRT, SQUARE -> new double[] {0, 0};
                case EXP -> new double[] {1e-37, 3e-6};
                case SIGMOID -> new double[] {1e-37, 3e-6};
                case TANH -> new double[] {1e-7, 3e-6};
                case ERF -> new double[] {5e-7, 3e-6};
                case GELU, GELU_TANH -> new double[] {2e-6, 3e-6};
            };
            for (int n : SIZES) {
                for (float scale : new float[] {1f, 5f, 30f}) {
                    Random rnd = new Random(n * 131L + (long) scale);
                    int off = 2;
                    float[] x = input(rnd, off + n, scale);
                    float[] got = new float[off + n + 1];
                    float[] want = new float[off + n + 1];
                    best.unary(f, x, off, got, 1, n);
                    ref.unary(f, x, off, want, 1, n);
                    compare(f.name(), n, x, off, want, 1, got, 1, tol[0], tol[1]);
                    float[] inPlace = x.clone();
                    best.unary(f, inPlace, off, inPlace, off, n);
                    compare(f.name() + " in place", n, x, off, want, 1, inPlace, off, tol[0], tol[1]);
                }
            }
        }
    }

    @Test
    void arithmeticMatchesTheScalarReferenceExactly() {
        for (FloatKernels.Op op : FloatKernels.Op.values()) {
            for (int n : SIZES) {
                Random rnd = new Random(n * 7L + op.ordinal());
                float[] a = input(rnd, n + 3, 10f);
                float[] b = input(rnd, n + 5, 10f);
                float s = b[b.length - 1];
                float[] got = new float[n + 1];
                float[] want = new float[n + 1];
                best.binary(op, a, 3, b, 5, got, 1, n);
                ref.binary(op, a, 3, b, 5, want, 1, n);
                compare(op + " same shape", n, a, 3, want, 1, got, 1, 0, 0);
                best.binaryScalarRight(op, a, 3, s, got, 1, n);
                ref.binaryScalarRight(op, a, 3, s, want, 1, n);
                compare(op + " scalar right", n, a, 3, want, 1, got, 1, 0, 0);
                best.binaryScalarLeft(op, s, b, 5, got, 1, n);
                ref.binaryScalarLeft(op, s, b, 5, want, 1, n);
                compare(op + " scalar left", n, b, 5, want, 1, got, 1, 0, 0);
            }
        }
    }

    @Test
    void clipAndWhereMatchTheScalarReference() {
        for (int n : SIZES) {
            Random rnd = new Random(n);
            float[] x = input(rnd, n + 1, 3f);
            float[] got = new float[n];
            float[] want = new float[n];
            for (float[] bounds : new float[][] {{-1f, 1f}, {0f, 6f}, {2f, -2f}, {Float.NEGATIVE_INFINITY, 0.5f}}) {
                best.clip(x, 1, bounds[0], bounds[1], got, 0, n);
                ref.clip(x, 1, bounds[0], bounds[1], want, 0, n);
                compare("Clip[" + bounds[0] + "," + bounds[1] + "]", n, x, 1, want, 0, got, 0, 0, 0);
            }
            byte[] c = new byte[n + 2];
            for (int i = 0; i < c.length; i++) {
                c[i] = (byte) (rnd.nextBoolean() ? 1 : 0);
            }
            float[] y = input(rnd, n + 3, 3f);
            best.where(c, 2, x, 1, y, 3, got, 0, n);
            ref.where(c, 2, x, 1, y, 3, want, 0, n);
            compare("Where", n, x, 1, want, 0, got, 0, 0, 0);
        }
    }

    /** Random values of magnitude up to {@code scale}, with the special values spread in. */
    private static float[] input(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * scale;
            if (rnd.nextInt(5) == 0) {
                x[i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
            }
        }
        return x;
    }

    private static void compare(String op, int n, float[] x, int xo, float[] want, int wo, float[] got, int go,
                                double atol, double rtol) {
        for (int i = 0; i < n; i++) {
            float w = want[wo + i];
            float g = got[go + i];
            boolean ok = Float.isNaN(w) ? Float.isNaN(g)
                    : w == g || Math.abs((double) g - w) <= atol + rtol * Math.abs(w);
            if (!ok) {
                fail(op + " float32 shape [" + n + "]: element " + i + " (x = " + x[xo + i] + ") got " + g
                        + ", want " + w + " (atol " + atol + ", rtol " + rtol + ")");
            }
        }
    }
}
