package dev.continuum.engine.internal.ops.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NnLoops} on the Vector API. Loaded reflectively by {@link NnLoops#get()} only when the
 * incubator module is present; every method has its scalar reference in the superclass.
 */
final class VectorNnLoops extends NnLoops {
    static final VectorNnLoops INSTANCE = new VectorNnLoops();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorNnLoops() {
    }

    @Override
    void weightedTaps(float[] d, int dOff, int[] tapOff, float[] w, int wOff, float bias, float[] t, int tOff,
                      int count) {
        if (L > PAD) {
            super.weightedTaps(d, dOff, tapOff, w, wOff, bias, t, tOff, count);
            return;
        }
        int taps = tapOff.length;
        if (taps == 9) {
            taps9(d, dOff, tapOff, w, wOff, bias, t, tOff, count);
            return;
        }
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int j = 0; j < count; j += L) {
            FloatVector acc = b;
            for (int tap = 0; tap < taps; tap++) {
                acc = FloatVector.fromArray(S, d, dOff + tapOff[tap] + j).lanewise(VectorOperators.FMA,
                        FloatVector.broadcast(S, w[wOff + tap]), acc);
            }
            acc.intoArray(t, tOff + j);
        }
    }

    /** The 3x3 case with the weights and offsets held in registers. */
    private static void taps9(float[] d, int dOff, int[] o, float[] w, int wOff, float bias, float[] t, int tOff,
                              int count) {
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int o0 = dOff + o[0];
        int o1 = dOff + o[1];
        int o2 = dOff + o[2];
        int o3 = dOff + o[3];
        int o4 = dOff + o[4];
        int o5 = dOff + o[5];
        int o6 = dOff + o[6];
        int o7 = dOff + o[7];
        int o8 = dOff + o[8];
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int j = 0; j < count; j += L) {
            FloatVector acc = FloatVector.fromArray(S, d, o0 + j).lanewise(VectorOperators.FMA, w0, b);
            acc = FloatVector.fromArray(S, d, o1 + j).lanewise(VectorOperators.FMA, w1, acc);
            acc = FloatVector.fromArray(S, d, o2 + j).lanewise(VectorOperators.FMA, w2, acc);
            acc = FloatVector.fromArray(S, d, o3 + j).lanewise(VectorOperators.FMA, w3, acc);
            acc = FloatVector.fromArray(S, d, o4 + j).lanewise(VectorOperators.FMA, w4, acc);
            acc = FloatVector.fromArray(S, d, o5 + j).lanewise(VectorOperators.FMA, w5, acc);
            acc = FloatVector.fromArray(S, d, o6 + j).lanewise(VectorOperators.FMA, w6, acc);
            acc = FloatVector.fromArray(S, d, o7 + j).lanewise(VectorOperators.FMA, w7, acc);
            acc = FloatVector.fromArray(S, d, o8 + j).lanewise(VectorOperators.FMA, w8, acc);
            acc.intoArray(t, tOff + j);
        }
    }

    @Override
    void depthwise3x3(Depthwise3x3 d, float[] x, int xOff, float[] wt, int wOff, float bias, Epilogue e, float[] s,
                      int sOff, float[] y, int yOff) {
        VectorDepthwise.plane(this, d, x, xOff, wt, wOff, bias, e, s, sOff, y, yOff);
    }

    /**
     * Whole vectors, the last of them overlapping the one before when the count is not a multiple of
     * a vector; fewer than a vector's floats through {@link System#arraycopy}.
     */
    @Override
    void copy(float[] x, int xOff, float[] d, int dOff, int count) {
        if (count < L) {
            System.arraycopy(x, xOff, d, dOff, count);
            return;
        }
        int i = 0;
        for (int bound = count - L; i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).intoArray(d, dOff + i);
        }
        FloatVector.fromArray(S, x, xOff + count - L).intoArray(d, dOff + count - L);
    }

    /**
     * 0, 1, ..., L - 1: the padded rows' lane masks are compares against it. {@code
     * VectorSpecies.indexInRange} with bounds that are not constants is not intrinsic on Java 17: it
     * built its mask in Java, 52 KB of garbage per run of resnet_small.
     */
    private static final FloatVector IOTA = FloatVector.fromArray(S, iota(), 0);

    private static float[] iota() {
        float[] a = new float[L];
        for (int i = 0; i < L; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * A row of up to one vector (two) as one load from x at the row's first column (two), blended with
     * the pad outside the row's values, and one store (two), the last running on into the rows below:
     * they are written after (the caller's next rows, or its pads) and {@code limit} bounds it.
     * resnet_small's padded planes of 2x2 to 8x8 (1,900 rows of 2-8 values, 5-8 ns a row through a
     * copy and the pads' stores): 32 channels of 8x8 2.65 -> 1.5 us, 64 of 4x4 3.0 -> 2.1, 16 of 16x16
     * 2.27 -> 1.6-1.7 (a harness); the model at 1 thread 189.4 -> 184.0 us (in-process A/B against
     * the copy per row, before the rows of two vectors). Rows whose load would leave x, or whose store
     * would reach the limit, and longer rows, as the scalar loops.
     */
    @Override
    void paddedRows(float[] x, int xOff, int w, float[] d, int dOff, int wh, int rows, int iLo, int iHi, float pad,
                    int limit) {
        if (wh > 2 * L) {
            super.paddedRows(x, xOff, w, d, dOff, wh, rows, iLo, iHi, pad, limit);
            return;
        }
        VectorMask<Float> values = IOTA.compare(VectorOperators.GE, iLo).and(IOTA.compare(VectorOperators.LT, iHi));
        FloatVector pads = FloatVector.broadcast(S, pad);
        if (wh <= L) {
            for (int r = 0; r < rows; r++) {
                int src = xOff + r * w;
                int dst = dOff + r * wh;
                if (src >= 0 && src <= x.length - L && dst <= limit - L) {
                    pads.blend(FloatVector.fromArray(S, x, src), values).intoArray(d, dst);
                } else {
                    paddedRow(x, src, d, dst, wh, iLo, iHi, pad);
                }
            }
            return;
        }
        // rows of up to two vectors (16x16 planes with pads of 1: 18): the second from column L on
        VectorMask<Float> upper = IOTA.compare(VectorOperators.GE, iLo - L).and(IOTA.compare(VectorOperators.LT, iHi - L));
        for (int r = 0; r < rows; r++) {
            int src = xOff + r * w;
            int dst = dOff + r * wh;
            if (src >= 0 && src <= x.length - 2 * L && dst <= limit - 2 * L) {
                pads.blend(FloatVector.fromArray(S, x, src), values).intoArray(d, dst);
                pads.blend(FloatVector.fromArray(S, x, src + L), upper).intoArray(d, dst + L);
            } else {
                paddedRow(x, src, d, dst, wh, iLo, iHi, pad);
            }
        }
    }

    @Override
    void everyOther(float[] x, int xOff, float[] d, int dOff, int count) {
        VectorDepthwise.everyOther(x, xOff, d, dOff, count);
    }

    @Override
    int lanes() {
        return L;
    }

    @Override
    void depthwiseImage(SmallPlaneDepthwise sp, float[] x, int xOff, Epilogue e, float[] s, int sOff, float[] y,
                        int yOff) {
        VectorDepthwise.image(this, sp, x, xOff, e, s, sOff, y, yOff);
    }

    @Override
    void maxPool2x2(float[] x, int xOff, int w, int outH, int outW, float[] s, int sOff, float[] y, int yOff) {
        if (w != 2 * outW || outH * outW < L) {
            super.maxPool2x2(x, xOff, w, outH, outW, s, sOff, y, yOff);
            return;
        }
        VectorDepthwise.maxPool2x2(x, xOff, w, outH, outW, s, sOff, y, yOff);
    }

    @Override
    void maxPool3x3(Depthwise3x3 d, float[] x, int xOff, float[] s, int sOff, float[] y, int yOff) {
        VectorDepthwise.maxPlane(d, x, xOff, s, sOff, y, yOff);
    }

    @Override
    void maxTaps(float[] d, int dOff, int[] tapOff, float[] t, int tOff, int count) {
        if (L > PAD) {
            super.maxTaps(d, dOff, tapOff, t, tOff, count);
            return;
        }
        for (int j = 0; j < count; j += L) {
            FloatVector m = FloatVector.fromArray(S, d, dOff + tapOff[0] + j);
            for (int tap = 1; tap < tapOff.length; tap++) {
                FloatVector v = FloatVector.fromArray(S, d, dOff + tapOff[tap] + j);
                m = m.blend(v, v.compare(VectorOperators.GT, m));
            }
            m.intoArray(t, tOff + j);
        }
    }

    @Override
    void sumTaps(float[] d, int dOff, int[] tapOff, float[] t, int tOff, int count) {
        if (L > PAD) {
            super.sumTaps(d, dOff, tapOff, t, tOff, count);
            return;
        }
        for (int j = 0; j < count; j += L) {
            FloatVector s = FloatVector.fromArray(S, d, dOff + tapOff[0] + j);
            for (int tap = 1; tap < tapOff.length; tap++) {
                s = s.add(FloatVector.fromArray(S, d, dOff + tapOff[tap] + j));
            }
            s.intoArray(t, tOff + j);
        }
    }

    @Override
    void biasActivation(float[] x, int xOff, float[] y, int yOff, int len, float bias, Epilogue e) {
        if (!e.clamps()) {
            super.biasActivation(x, xOff, y, yOff, len, bias, e);
            return;
        }
        float lo = e.lo();
        float hi = e.hi();
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(b).max(vlo).min(vhi).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = Math.min(Math.max(x[xOff + i] + bias, lo), hi);
        }
    }

    @Override
    void biasResidualActivation(float[] x, int xOff, float[] r, int rOff, float[] y, int yOff, int len, float bias,
                                Epilogue e) {
        boolean clamps = e.clamps();
        float lo = clamps ? e.lo() : Float.NEGATIVE_INFINITY;
        float hi = clamps ? e.hi() : Float.POSITIVE_INFINITY;
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(b).add(FloatVector.fromArray(S, r, rOff + i)).max(vlo).min(vhi)
                    .intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = Math.min(Math.max(x[xOff + i] + bias + r[rOff + i], lo), hi);
        }
        if (!clamps) {
            e.activation().apply(y, yOff, yOff + len);
        }
    }

    @Override
    void biasesActivation(float[] x, int xOff, int len, float[] bias, int bOff, Epilogue e) {
        boolean clamps = e.clamps();
        float lo = clamps ? e.lo() : Float.NEGATIVE_INFINITY;
        float hi = clamps ? e.hi() : Float.POSITIVE_INFINITY;
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, bias, bOff + i)).max(vlo).min(vhi)
                    .intoArray(x, xOff + i);
        }
        for (; i < len; i++) {
            x[xOff + i] = Math.min(Math.max(x[xOff + i] + bias[bOff + i], lo), hi);
        }
        if (!clamps) {
            e.activation().apply(x, xOff, xOff + len);
        }
    }

    @Override
    void affine(float[] x, int xOff, float[] y, int yOff, int len, float mul, float add) {
        FloatVector m = FloatVector.broadcast(S, mul);
        FloatVector a = FloatVector.broadcast(S, add);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.FMA, m, a).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = x[xOff + i] * mul + add;
        }
    }

    @Override
    float sum(float[] x, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += x[off + i];
        }
        return s;
    }

    @Override
    float sumSquaredDiff(float[] x, int off, int len, float mean) {
        FloatVector acc = FloatVector.zero(S);
        FloatVector m = FloatVector.broadcast(S, mean);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(m);
            acc = d.lanewise(VectorOperators.FMA, d, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float d = x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    float max(float[] x, int off, int len) {
        if (len < L) {
            return super.max(x, off, len);
        }
        FloatVector acc = FloatVector.fromArray(S, x, off);
        int i = L;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            acc = acc.max(FloatVector.fromArray(S, x, off + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    @Override
    void normalise(float[] x, float[] y, int off, int len, float mean, float invStd, float[] scale, float[] bias) {
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector inv = FloatVector.broadcast(S, invStd);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).sub(m).mul(inv);
            v.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, scale, i), FloatVector.fromArray(S, bias, i))
                    .intoArray(y, off + i);
        }
        for (; i < len; i++) {
            y[off + i] = (x[off + i] - mean) * invStd * scale[i] + bias[i];
        }
    }

    @Override
    float expShift(float[] x, float[] y, int off, int len, float shift) {
        FloatVector sh = FloatVector.broadcast(S, shift);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, off + i).sub(sh).lanewise(VectorOperators.EXP);
            e.intoArray(y, off + i);
            acc = acc.add(e);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = (float) Math.exp(x[off + i] - shift);
            y[off + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    void scale(float[] y, int off, int len, float mul) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, y, off + i).mul(mul).intoArray(y, off + i);
        }
        for (; i < len; i++) {
            y[off + i] *= mul;
        }
    }

    @Override
    void subtract(float[] x, float[] y, int off, int len, float sub) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).sub(sub).intoArray(y, off + i);
        }
        for (; i < len; i++) {
            y[off + i] = x[off + i] - sub;
        }
    }

    @Override
    void winogradInput(float[] ph, int pOff, int[] taps, int n, float[] v, int vOff, int xiStride, int panelStride,
                       int nr) {
        VectorWinograd.input(ph, pOff, taps, n, v, vOff, xiStride, panelStride, nr);
    }

    @Override
    void winogradOutput(float[] mo, int mOff, int xiStride, int wh, int tw, int tileRows, float bias, float[] y,
                        int yOff, int outW, int outRows, float[] r, float lo, float hi, int limit, float[] tmp,
                        int tmpOff) {
        VectorWinograd.output(mo, mOff, xiStride, wh, tw, tileRows, bias, y, yOff, outW, outRows, r, lo, hi, limit,
                tmp, tmpOff);
    }
}
