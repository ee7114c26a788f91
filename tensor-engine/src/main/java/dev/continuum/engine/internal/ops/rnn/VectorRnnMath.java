package dev.continuum.engine.internal.ops.rnn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RnnMath} on the Vector API. exp is the Cephes single-precision scheme (range reduction by
 * ln 2, degree-6 polynomial, exponent by bit shift; about 2 ulp); sigmoid and tanh are built on it.
 * Loaded reflectively only when {@code jdk.incubator.vector} is present.
 */
final class VectorRnnMath extends RnnMath {
    static final VectorRnnMath INSTANCE = new VectorRnnMath();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final float EXP_HI = 88.3762626647949f;
    private static final float EXP_LO = -87.3365447504019f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUND = 12582912f;

    private VectorRnnMath() {
    }

    /** exp(x), lane-wise; inputs are clamped to the float range of exp. */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector n = x.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.mul(-LN2_HI).add(x);
        r = n.mul(-LN2_LO).add(r);
        FloatVector r2 = r.mul(r);
        FloatVector y = FloatVector.broadcast(S, 1.9875691500e-4f)
                .fma(r, FloatVector.broadcast(S, 1.3981999507e-3f))
                .fma(r, FloatVector.broadcast(S, 8.3334519073e-3f))
                .fma(r, FloatVector.broadcast(S, 4.1665795894e-2f))
                .fma(r, FloatVector.broadcast(S, 1.6666665459e-1f))
                .fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        y = y.fma(r2, r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats());
    }

    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        return one.div(exp(x.neg()).add(one));
    }

    /** tanh(x) = sign(x) (1 - 2 / (exp(2|x|) + 1)); absolute error about 1e-7 near zero. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector e = exp(a.add(a));
        FloatVector t = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
        return t.blend(t.neg(), x.lt(0f));
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
