package dev.continuum.engine.internal.ops.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 loops on the Vector API; loaded only when {@code Simd.enabled()}. Arithmetic, Relu,
 * Clip, Sqrt and squares give the same bits as {@link ScalarFloatKernels}; exp, sigmoid, tanh and erf
 * use float polynomial approximations (exp: Cephes expf, a few ulp; tanh: Cephes tanhf below 0.625;
 * erf: the rational approximation of Eigen's {@code generic_fast_erf_float}, absolute error below
 * 4e-7). Tails shorter than a vector run the same formulas one lane at a time.
 */
final class VectorFloatKernels extends FloatKernels {
    static final VectorFloatKernels INSTANCE = new VectorFloatKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final float EXP_HI = 88.72283935546875f;  // ln(Float.MAX_VALUE), rounded down
    private static final float EXP_LO = -87.3365478515625f;  // ln(Float.MIN_NORMAL), rounded up
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND_MAGIC = 12582912f;  // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float[] EXP_POLY = {1.9875691500E-4f, 1.3981999507E-3f, 8.3334519073E-3f,
        4.1665795894E-2f, 1.6666665459E-1f, 5.0000001201E-1f};
    private static final float[] TANH_POLY = {-5.70498872745E-3f, 2.06390887954E-2f, -5.37397155531E-2f,
        1.33314422036E-1f, -3.33332819422E-1f};
    private static final float TANH_SMALL = 0.625f;
    private static final float[] ERF_P = {-2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f,
        -5.69250639462346e-05f, -7.34990630326855e-04f, -2.95459980854025e-03f, -1.60960333262415e-02f};
    private static final float[] ERF_Q = {-1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f,
        -7.37332916720468e-03f, -1.42647390514189e-02f};
    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float SQRT_2_OVER_PI = 0.79788456080286536f;

    private VectorFloatKernels() {
    }

    @Override
    void binary(Op op, float[] a, int ao, float[] b, int bo, float[] r, int ro, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
        }
        for (; i < n; i++) {
            r[ro + i] = op.apply(a[ao + i], b[bo + i]);
        }
    }

    @Override
    void binaryScalarRight(Op op, float[] a, int ao, float s, float[] r, int ro, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector v = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).add(v).intoArray(r, ro + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).sub(v).intoArray(r, ro + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).mul(v).intoArray(r, ro + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, ao + i).div(v).intoArray(r, ro + i);
                }
            }
        }
        for (; i < n; i++) {
            r[ro + i] = op.apply(a[ao + i], s);
        }
    }

    @Override
    void binaryScalarLeft(Op op, float s, float[] b, int bo, float[] r, int ro, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector v = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD -> {
                for (; i < bound; i += L) {
                    v.add(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += L) {
                    v.sub(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += L) {
                    v.mul(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += L) {
                    v.div(FloatVector.fromArray(S, b, bo + i)).intoArray(r, ro + i);
                }
            }
        }
        for (; i < n; i++) {
            r[ro + i] = op.apply(s, b[bo + i]);
        }
    }

    @Override
    void unary(Unary f, float[] x, int xo, float[] r, int ro, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        switch (f) {
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, x, xo + i).max(zero).intoArray(r, ro + i);
                }
            }
            case SQRT -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.SQRT).intoArray(r, ro + i);
                }
            }
            case SQUARE -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    v.mul(v).intoArray(r, ro + i);
                }
            }
            case EXP -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    exp(v).blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, EXP_HI)).intoArray(r, ro + i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += L) {
                    sigmoid(FloatVector.fromArray(S, x, xo + i)).intoArray(r, ro + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    tanh(FloatVector.fromArray(S, x, xo + i)).intoArray(r, ro + i);
                }
            }
            case ERF -> {
                for (; i < bound; i += L) {
                    erf(FloatVector.fromArray(S, x, xo + i)).intoArray(r, ro + i);
                }
            }
            case GELU -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    v.mul(0.5f).mul(erf(v.mul(SQRT_HALF)).add(1f)).intoArray(r, ro + i);
                }
            }
            case GELU_TANH -> {
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    FloatVector inner = v.mul(v).mul(0.044715f).mul(v).add(v).mul(SQRT_2_OVER_PI);
                    v.mul(0.5f).mul(tanh(inner).add(1f)).intoArray(r, ro + i);
                }
            }
        }
        for (; i < n; i++) {
            r[ro + i] = scalar(f, x[xo + i]);
        }
    }

    /** One lane of {@link #unary}, with the same approximations as the vector loop. */
    static float scalar(Unary f, float v) {
        return switch (f) {
            case RELU, SQRT, SQUARE -> ScalarFloatKernels.apply(f, v);
            case EXP -> v > EXP_HI ? Float.POSITIVE_INFINITY : exp(FloatVector.broadcast(S, v)).lane(0);
            case SIGMOID -> sigmoid(FloatVector.broadcast(S, v)).lane(0);
            case TANH -> tanh(FloatVector.broadcast(S, v)).lane(0);
            case ERF -> erf(FloatVector.broadcast(S, v)).lane(0);
            case GELU -> 0.5f * v * (erf(FloatVector.broadcast(S, v * SQRT_HALF)).lane(0) + 1f);
            case GELU_TANH -> 0.5f * v
                    * (tanh(FloatVector.broadcast(S, (v * v * 0.044715f * v + v) * SQRT_2_OVER_PI)).lane(0) + 1f);
        };
    }

    /** e^x for x in [EXP_LO, EXP_HI] (clamped; NaN stays NaN; may flush to 0 near EXP_LO): 2^n p(r), x = n ln2 + r. */
    private static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, EXP_POLY[0]);
        for (int k = 1; k < EXP_POLY.length; k++) {
            p = p.fma(r, FloatVector.broadcast(S, EXP_POLY[k]));
        }
        FloatVector y = p.mul(r).fma(r, r).add(1f);
        // 2^n as 2^(n-1) * 2, so that n = 128 (x near EXP_HI) stays finite
        IntVector bits = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS - 126).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats()).mul(2f);
    }

    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    private static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = exp(ax.add(ax));
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, TANH_POLY[0]);
        for (int k = 1; k < TANH_POLY.length; k++) {
            p = p.fma(z, FloatVector.broadcast(S, TANH_POLY[k]));
        }
        FloatVector small = p.mul(z).fma(x, x);
        VectorMask<Float> isSmall = ax.compare(VectorOperators.LT, TANH_SMALL);
        return big.blend(small, isSmall);
    }

    private static FloatVector erf(FloatVector a) {
        FloatVector x = a.max(-4f).min(4f);
        FloatVector x2 = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, ERF_P[0]);
        for (int k = 1; k < ERF_P.length; k++) {
            p = p.fma(x2, FloatVector.broadcast(S, ERF_P[k]));
        }
        p = p.mul(x);
        FloatVector q = FloatVector.broadcast(S, ERF_Q[0]);
        for (int k = 1; k < ERF_Q.length; k++) {
            q = q.fma(x2, FloatVector.broadcast(S, ERF_Q[k]));
        }
        return p.div(q).max(-1f).min(1f);
    }

    @Override
    void clip(float[] x, int xo, float lo, float hi, float[] r, int ro, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector l = FloatVector.broadcast(S, lo);
        FloatVector h = FloatVector.broadcast(S, hi);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).max(l).min(h).intoArray(r, ro + i);
        }
        ScalarFloatKernels.INSTANCE.clip(x, xo + i, lo, hi, r, ro + i, n - i);
    }

    @Override
    void where(byte[] c, int co, float[] a, int ao, float[] b, int bo, float[] r, int ro, int n) {
        ScalarFloatKernels.INSTANCE.where(c, co, a, ao, b, bo, r, ro, n);
    }
}
