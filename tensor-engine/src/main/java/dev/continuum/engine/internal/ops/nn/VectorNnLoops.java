package dev.continuum.engine.internal.ops.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NnLoops} on the Vector API. Loaded reflectively by {@link NnLoops#get()} only when the
 * incubator module is present; every method has its scalar reference in the superclass.
 */
final class VectorNnLoops extends NnLoops {
    static final VectorNnLoops INSTANCE = new VectorNnLoops();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // transpose16's four stages: stage d moves lanes d up or down (within the vector) and blends on lane bit d
    private static final VectorShuffle<Float> UP8 = VectorShuffle.fromOp(S, i -> (i - 8) & (L - 1));
    private static final VectorShuffle<Float> DOWN8 = VectorShuffle.fromOp(S, i -> (i + 8) & (L - 1));
    private static final VectorMask<Float> HIGH8 = lanesWithBit(8);
    private static final VectorShuffle<Float> UP4 = VectorShuffle.fromOp(S, i -> (i - 4) & (L - 1));
    private static final VectorShuffle<Float> DOWN4 = VectorShuffle.fromOp(S, i -> (i + 4) & (L - 1));
    private static final VectorMask<Float> HIGH4 = lanesWithBit(4);
    private static final VectorShuffle<Float> UP2 = VectorShuffle.fromOp(S, i -> (i - 2) & (L - 1));
    private static final VectorShuffle<Float> DOWN2 = VectorShuffle.fromOp(S, i -> (i + 2) & (L - 1));
    private static final VectorMask<Float> HIGH2 = lanesWithBit(2);
    private static final VectorShuffle<Float> UP1 = VectorShuffle.fromOp(S, i -> (i - 1) & (L - 1));
    private static final VectorShuffle<Float> DOWN1 = VectorShuffle.fromOp(S, i -> (i + 1) & (L - 1));
    private static final VectorMask<Float> HIGH1 = lanesWithBit(1);

    /** Most rows past the last whole block of 16 that {@link #transposeBias} transposes one by one. */
    private static final int SCALAR_TAIL_ROWS = 4;

    /** {@link #transpose16}'s 16 x 16 block between its first stage and the other three. */
    private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[16 * 16]);

    private static VectorMask<Float> lanesWithBit(int bit) {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) {
            set[i] = (i & bit) != 0;
        }
        return VectorMask.fromArray(S, set, 0);
    }

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
    void transposeBias(float[] t, int rows, int cols, int from, int to, float[] bias, int bOff, float lo, float hi,
                       float[] y, int yOff) {
        if (L != 16 || rows < 16) {
            // the bias and clamp along t's rows in whole vectors of channels (biasRows below), then a scalar
            // copy: a scalar clamp per element was 3 % slower on mobilenet_small, whose planes are 6x6 and
            // smaller
            super.transposeBias(t, rows, cols, from, to, bias, bOff, lo, hi, y, yOff);
            return;
        }
        // whole tiles of 16 columns only: a ragged last one overlapping the tile before would write columns
        // that another thread may be adding a residual to. A last block of rows overlaps the one before
        // (the same values written twice), unless a few rows are left: those go the way of short planes
        // (7x7 = 49 = 3 x 16 + 1)
        int whole = from + (to - from) / 16 * 16;
        int tail = rows % 16 <= SCALAR_TAIL_ROWS ? rows % 16 : 0;
        int blockRows = rows - tail;
        float[] block = BLOCK.get();
        for (int c0 = from; c0 < whole; c0 += 16) {
            for (int r0 = 0; ; r0 += 16) {
                int r = Math.min(r0, blockRows - 16);
                transpose16(t, r, cols, c0, bias, bOff, lo, hi, y, yOff + c0 * rows + r, rows, block);
                if (r == blockRows - 16) {
                    break;
                }
            }
        }
        if (tail > 0) {
            biasRows(t, blockRows, rows, cols, from, whole, bias, bOff, lo, hi);
            transposeRows(t, blockRows, rows, rows, cols, from, whole, y, yOff);
        }
        if (whole < to) {
            super.transposeBias(t, rows, cols, whole, to, bias, bOff, lo, hi, y, yOff);
        }
    }

    @Override
    void biasRows(float[] t, int r0, int r1, int cols, int from, int to, float[] bias, int bOff, float lo, float hi) {
        if (bias == null && lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY) {
            return; // nothing to add, nothing to clamp
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int len = to - from;
        int bound = S.loopBound(len);
        for (int r = r0; r < r1; r++) {
            int at = r * cols + from;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, t, at + i);
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(S, bias, bOff + from + i));
                }
                v.max(vlo).min(vhi).intoArray(t, at + i);
            }
            for (; i < len; i++) {
                float v = bias != null ? t[at + i] + bias[bOff + from + i] : t[at + i];
                t[at + i] = Math.min(Math.max(v, lo), hi);
            }
        }
    }

    /**
     * The 16 x 16 block of t at rows [r, r + 16), columns [c0, c0 + 16) transposed and stored as 16 rows of y
     * from yAt, rows apart, each with its column's bias (none when null) and clamped. Four stages of
     * single-vector shuffles and blends (the Vector API's two-vector shuffles compile to a slow path here):
     * stage d swaps the lanes with bit d set of vector i with the lanes with bit d clear of vector i + d.
     * After the first stage the two halves of 8 vectors no longer meet, so they go through a scratch block
     * and {@link #transpose8} each: one method of all four stages (about 300 Vector API calls) outgrew
     * C2's inlining budget in a model's JVM, and its stores and clamps compiled as calls to the
     * element-by-element fallback (2.4 % of resnet18's profile samples at 1 thread, against 0.8 % for the
     * scalar transposition and bias pass it replaced).
     */
    private static void transpose16(float[] t, int r, int cols, int c0, float[] bias, int bOff, float lo, float hi,
                                    float[] y, int yAt, int rows, float[] block) {
        int s = r * cols + c0;
        FloatVector v0 = FloatVector.fromArray(S, t, s);
        FloatVector v8 = FloatVector.fromArray(S, t, s + 8 * cols);
        FloatVector v1 = FloatVector.fromArray(S, t, s + cols);
        FloatVector v9 = FloatVector.fromArray(S, t, s + 9 * cols);
        FloatVector v2 = FloatVector.fromArray(S, t, s + 2 * cols);
        FloatVector v10 = FloatVector.fromArray(S, t, s + 10 * cols);
        FloatVector v3 = FloatVector.fromArray(S, t, s + 3 * cols);
        FloatVector v11 = FloatVector.fromArray(S, t, s + 11 * cols);
        FloatVector v4 = FloatVector.fromArray(S, t, s + 4 * cols);
        FloatVector v12 = FloatVector.fromArray(S, t, s + 12 * cols);
        FloatVector v5 = FloatVector.fromArray(S, t, s + 5 * cols);
        FloatVector v13 = FloatVector.fromArray(S, t, s + 13 * cols);
        FloatVector v6 = FloatVector.fromArray(S, t, s + 6 * cols);
        FloatVector v14 = FloatVector.fromArray(S, t, s + 14 * cols);
        FloatVector v7 = FloatVector.fromArray(S, t, s + 7 * cols);
        FloatVector v15 = FloatVector.fromArray(S, t, s + 15 * cols);
        v0.blend(v8.rearrange(UP8), HIGH8).intoArray(block, 0);
        v0.rearrange(DOWN8).blend(v8, HIGH8).intoArray(block, 128);
        v1.blend(v9.rearrange(UP8), HIGH8).intoArray(block, 16);
        v1.rearrange(DOWN8).blend(v9, HIGH8).intoArray(block, 144);
        v2.blend(v10.rearrange(UP8), HIGH8).intoArray(block, 32);
        v2.rearrange(DOWN8).blend(v10, HIGH8).intoArray(block, 160);
        v3.blend(v11.rearrange(UP8), HIGH8).intoArray(block, 48);
        v3.rearrange(DOWN8).blend(v11, HIGH8).intoArray(block, 176);
        v4.blend(v12.rearrange(UP8), HIGH8).intoArray(block, 64);
        v4.rearrange(DOWN8).blend(v12, HIGH8).intoArray(block, 192);
        v5.blend(v13.rearrange(UP8), HIGH8).intoArray(block, 80);
        v5.rearrange(DOWN8).blend(v13, HIGH8).intoArray(block, 208);
        v6.blend(v14.rearrange(UP8), HIGH8).intoArray(block, 96);
        v6.rearrange(DOWN8).blend(v14, HIGH8).intoArray(block, 224);
        v7.blend(v15.rearrange(UP8), HIGH8).intoArray(block, 112);
        v7.rearrange(DOWN8).blend(v15, HIGH8).intoArray(block, 240);
        int b = bias != null ? bOff + c0 : -1;
        transpose8(block, 0, bias, b, lo, hi, y, yAt, rows);
        transpose8(block, 128, bias, b < 0 ? -1 : b + 8, lo, hi, y, yAt + 8 * rows, rows);
    }

    /**
     * The last three stages of {@link #transpose16} on the 8 vectors at block[at], then the bias (bias[b + i] for
     * vector i; none when b < 0), the clamp and the stores of 8 rows of y from yAt, rows apart.
     */
    private static void transpose8(float[] block, int at, float[] bias, int b, float lo, float hi, float[] y,
                                   int yAt, int rows) {
        FloatVector v0 = FloatVector.fromArray(S, block, at);
        FloatVector v1 = FloatVector.fromArray(S, block, at + 16);
        FloatVector v2 = FloatVector.fromArray(S, block, at + 32);
        FloatVector v3 = FloatVector.fromArray(S, block, at + 48);
        FloatVector v4 = FloatVector.fromArray(S, block, at + 64);
        FloatVector v5 = FloatVector.fromArray(S, block, at + 80);
        FloatVector v6 = FloatVector.fromArray(S, block, at + 96);
        FloatVector v7 = FloatVector.fromArray(S, block, at + 112);
        FloatVector u0a = v0.blend(v4.rearrange(UP4), HIGH4);
        FloatVector u4a = v0.rearrange(DOWN4).blend(v4, HIGH4);
        FloatVector u1a = v1.blend(v5.rearrange(UP4), HIGH4);
        FloatVector u5a = v1.rearrange(DOWN4).blend(v5, HIGH4);
        FloatVector u2a = v2.blend(v6.rearrange(UP4), HIGH4);
        FloatVector u6a = v2.rearrange(DOWN4).blend(v6, HIGH4);
        FloatVector u3a = v3.blend(v7.rearrange(UP4), HIGH4);
        FloatVector u7a = v3.rearrange(DOWN4).blend(v7, HIGH4);
        FloatVector u0b = u0a.blend(u2a.rearrange(UP2), HIGH2);
        FloatVector u2b = u0a.rearrange(DOWN2).blend(u2a, HIGH2);
        FloatVector u1b = u1a.blend(u3a.rearrange(UP2), HIGH2);
        FloatVector u3b = u1a.rearrange(DOWN2).blend(u3a, HIGH2);
        FloatVector u4b = u4a.blend(u6a.rearrange(UP2), HIGH2);
        FloatVector u6b = u4a.rearrange(DOWN2).blend(u6a, HIGH2);
        FloatVector u5b = u5a.blend(u7a.rearrange(UP2), HIGH2);
        FloatVector u7b = u5a.rearrange(DOWN2).blend(u7a, HIGH2);
        FloatVector u0c = u0b.blend(u1b.rearrange(UP1), HIGH1);
        FloatVector u1c = u0b.rearrange(DOWN1).blend(u1b, HIGH1);
        FloatVector u2c = u2b.blend(u3b.rearrange(UP1), HIGH1);
        FloatVector u3c = u2b.rearrange(DOWN1).blend(u3b, HIGH1);
        FloatVector u4c = u4b.blend(u5b.rearrange(UP1), HIGH1);
        FloatVector u5c = u4b.rearrange(DOWN1).blend(u5b, HIGH1);
        FloatVector u6c = u6b.blend(u7b.rearrange(UP1), HIGH1);
        FloatVector u7c = u6b.rearrange(DOWN1).blend(u7b, HIGH1);
        if (b >= 0) {
            u0c = u0c.add(bias[b]);
            u1c = u1c.add(bias[b + 1]);
            u2c = u2c.add(bias[b + 2]);
            u3c = u3c.add(bias[b + 3]);
            u4c = u4c.add(bias[b + 4]);
            u5c = u5c.add(bias[b + 5]);
            u6c = u6c.add(bias[b + 6]);
            u7c = u7c.add(bias[b + 7]);
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        u0c.max(vlo).min(vhi).intoArray(y, yAt);
        u1c.max(vlo).min(vhi).intoArray(y, yAt + rows);
        u2c.max(vlo).min(vhi).intoArray(y, yAt + 2 * rows);
        u3c.max(vlo).min(vhi).intoArray(y, yAt + 3 * rows);
        u4c.max(vlo).min(vhi).intoArray(y, yAt + 4 * rows);
        u5c.max(vlo).min(vhi).intoArray(y, yAt + 5 * rows);
        u6c.max(vlo).min(vhi).intoArray(y, yAt + 6 * rows);
        u7c.max(vlo).min(vhi).intoArray(y, yAt + 7 * rows);
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
