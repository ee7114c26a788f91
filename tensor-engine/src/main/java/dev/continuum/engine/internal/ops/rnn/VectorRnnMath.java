package dev.continuum.engine.internal.ops.rnn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RnnMath} on the Vector API: tanh as a clamped rational function, sigmoid from tanh, and a
 * register-blocked GEMV. Loaded reflectively only when {@code jdk.incubator.vector} is present.
 */
final class VectorRnnMath extends RnnMath {
    static final VectorRnnMath INSTANCE = new VectorRnnMath();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** tanh is odd and rounds to +-1 in float past this magnitude (for the rational form below). */
    private static final float CLAMP = 7.90531110763549805f;
    /** Below this magnitude tanh(x) rounds to x. */
    private static final float TINY = 0.0004f;
    // tanh(x) ~ x P(x^2) / Q(x^2) on [-CLAMP, CLAMP] (the minimax rational form Eigen uses for float)
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    private VectorRnnMath() {
    }

    /**
     * tanh(x), lane-wise, as a rational function: only multiplies, adds, one divide, min/max and a
     * blend, all of which the JIT turns into AVX instructions (no float/int conversions).
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-CLAMP).min(CLAMP);
        FloatVector x2 = c.mul(c);
        FloatVector p = FloatVector.broadcast(S, A13)
                .fma(x2, FloatVector.broadcast(S, A11))
                .fma(x2, FloatVector.broadcast(S, A9))
                .fma(x2, FloatVector.broadcast(S, A7))
                .fma(x2, FloatVector.broadcast(S, A5))
                .fma(x2, FloatVector.broadcast(S, A3))
                .fma(x2, FloatVector.broadcast(S, A1))
                .mul(c);
        FloatVector q = FloatVector.broadcast(S, B6)
                .fma(x2, FloatVector.broadcast(S, B4))
                .fma(x2, FloatVector.broadcast(S, B2))
                .fma(x2, FloatVector.broadcast(S, B0));
        return p.div(q).blend(x, x.abs().lt(TINY));
    }

    /** sigmoid(x) = (1 + tanh(x / 2)) / 2; absolute error about 1e-7 where sigmoid is tiny. */
    static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).fma(FloatVector.broadcast(S, 0.5f), FloatVector.broadcast(S, 0.5f));
    }

    @Override
    void sigmoid(float[] v, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            sigmoid(FloatVector.fromArray(S, v, off + i)).intoArray(v, off + i);
        }
        if (i < n) {
            var m = S.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(S, v, off + i, m)).intoArray(v, off + i, m);
        }
    }

    @Override
    void tanh(float[] v, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            tanh(FloatVector.fromArray(S, v, off + i)).intoArray(v, off + i);
        }
        if (i < n) {
            var m = S.indexInRange(i, n);
            tanh(FloatVector.fromArray(S, v, off + i, m)).intoArray(v, off + i, m);
        }
    }

    @Override
    void gemvAdd(float[] x, int xOff, int k, float[] b, int bOff, int ldb, int n, float[] out, int outOff) {
        int j = 0;
        for (; j <= n - 4 * L; j += 4 * L) {
            int o = outOff + j;
            FloatVector a0 = FloatVector.fromArray(S, out, o);
            FloatVector a1 = FloatVector.fromArray(S, out, o + L);
            FloatVector a2 = FloatVector.fromArray(S, out, o + 2 * L);
            FloatVector a3 = FloatVector.fromArray(S, out, o + 3 * L);
            int row = bOff + j;
            for (int kk = 0; kk < k; kk++, row += ldb) {
                FloatVector xv = FloatVector.broadcast(S, x[xOff + kk]);
                a0 = FloatVector.fromArray(S, b, row).fma(xv, a0);
                a1 = FloatVector.fromArray(S, b, row + L).fma(xv, a1);
                a2 = FloatVector.fromArray(S, b, row + 2 * L).fma(xv, a2);
                a3 = FloatVector.fromArray(S, b, row + 3 * L).fma(xv, a3);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + L);
            a2.intoArray(out, o + 2 * L);
            a3.intoArray(out, o + 3 * L);
        }
        for (; j <= n - L; j += L) {
            int o = outOff + j;
            FloatVector a0 = FloatVector.fromArray(S, out, o);
            int row = bOff + j;
            for (int kk = 0; kk < k; kk++, row += ldb) {
                a0 = FloatVector.fromArray(S, b, row).fma(FloatVector.broadcast(S, x[xOff + kk]), a0);
            }
            a0.intoArray(out, o);
        }
        for (; j < n; j++) {
            float s = out[outOff + j];
            for (int kk = 0; kk < k; kk++) {
                s = Math.fma(x[xOff + kk], b[bOff + kk * ldb + j], s);
            }
            out[outOff + j] = s;
        }
    }
}
