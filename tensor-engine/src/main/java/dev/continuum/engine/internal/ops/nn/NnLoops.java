package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.gemm.Simd;

/**
 * The inner loops of the nn kernels that pay for vectorising. This class is the portable scalar
 * reference; {@link #get()} returns the Vector API subclass ({@code VectorNnLoops}, loaded
 * reflectively so the incubator module is only needed when {@link Simd#enabled()}). Every method
 * computes the same values up to float rounding (the differential test checks both).
 */
class NnLoops {
    private static final NnLoops SCALAR = new NnLoops();
    private static final NnLoops BEST = select();

    NnLoops() {
    }

    /** The implementation the kernels use. */
    static NnLoops get() {
        return BEST;
    }

    /** The scalar reference. */
    static NnLoops scalar() {
        return SCALAR;
    }

    private static NnLoops select() {
        if (!Simd.enabled()) {
            return SCALAR;
        }
        try {
            return (NnLoops) Class.forName("dev.continuum.engine.internal.ops.nn.VectorNnLoops")
                    .getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }

    /** Elements a caller should round loop counts up to so the vector loops need no tails. */
    static final int PAD = 16;

    /**
     * {@code t[tOff + j] = bias + sum_tap w[wOff + tap] * d[dOff + tapOff[tap] + j]} for {@code j in [0, count)};
     * count is a multiple of {@link #PAD}.
     */
    void weightedTaps(float[] d, int dOff, int[] tapOff, float[] w, int wOff, float bias, float[] t, int tOff,
                      int count) {
        for (int j = 0; j < count; j++) {
            t[tOff + j] = bias;
        }
        for (int tap = 0; tap < tapOff.length; tap++) {
            float wt = w[wOff + tap];
            int off = dOff + tapOff[tap];
            for (int j = 0; j < count; j++) {
                t[tOff + j] += wt * d[off + j];
            }
        }
    }

    /**
     * One output plane of a {@link Depthwise3x3} convolution of x's plane at xOff with the 9 weights at
     * wOff, bias and epilogue, into y[yOff, yOff + d.outSize). s[sOff, sOff + d.scratchSize()) is scratch
     * whose guards the caller has zeroed (this reference reads x directly and leaves it alone).
     */
    void depthwise3x3(Depthwise3x3 d, float[] x, int xOff, float[] wt, int wOff, float bias, Epilogue e, float[] s,
                      int sOff, float[] y, int yOff) {
        d.plane(x, xOff, wt, wOff, bias, e, y, yOff);
    }

    /**
     * {@code rows} rows of a plane into rows of {@code wh} floats: row r of d (at {@code dOff + r * wh})
     * holds {@code x[xOff + r * w + i]} at columns i of {@code [iLo, iHi)} and {@code pad} at the others
     * ({@code w} is the distance between two rows read).
     * Nothing at or past {@code limit} is written; below it, anything past the last row may be.
     */
    void paddedRows(float[] x, int xOff, int w, float[] d, int dOff, int wh, int rows, int iLo, int iHi, float pad,
                    int limit) {
        for (int r = 0; r < rows; r++) {
            paddedRow(x, xOff + r * w, d, dOff + r * wh, wh, iLo, iHi, pad);
        }
    }

    /** One row of {@link #paddedRows}. */
    static void paddedRow(float[] x, int xOff, float[] d, int dOff, int wh, int iLo, int iHi, float pad) {
        for (int i = 0; i < iLo; i++) {
            d[dOff + i] = pad;
        }
        System.arraycopy(x, xOff + iLo, d, dOff + iLo, iHi - iLo);
        for (int i = iHi; i < wh; i++) {
            d[dOff + i] = pad;
        }
    }

    /** {@code d[dOff + i] = x[xOff + i]} for {@code i in [0, count)}; x and d do not overlap. */
    void copy(float[] x, int xOff, float[] d, int dOff, int count) {
        System.arraycopy(x, xOff, d, dOff, count);
    }

    /** {@code d[dOff + i] = x[xOff + 2 * i]} for {@code i in [0, count)}: one phase of a stride-2 row. */
    void everyOther(float[] x, int xOff, float[] d, int dOff, int count) {
        for (int i = 0; i < count; i++) {
            d[dOff + i] = x[xOff + 2 * i];
        }
    }

    /**
     * {@code y[yOff + oy * outW + ox] = x[xOff + oy * sh * w + ox * sw]} for an outH x outW output: a
     * plane of rows of w floats subsampled by the strides (sh, sw), stride-2 rows by {@link #everyOther}.
     */
    final void subsample(float[] x, int xOff, int w, int sh, int sw, int outH, int outW, float[] y, int yOff) {
        for (int oy = 0; oy < outH; oy++) {
            int src = xOff + oy * sh * w;
            int dst = yOff + oy * outW;
            if (sw == 2) {
                everyOther(x, src, y, dst, outW);
            } else {
                for (int ox = 0; ox < outW; ox++) {
                    y[dst + ox] = x[src + ox * sw];
                }
            }
        }
    }

    /** Outputs per vector of these loops: 1 for the scalar reference, which has no {@link SmallPlaneDepthwise} path. */
    int lanes() {
        return 1;
    }

    /**
     * One image (sp.channels planes at xOff) of a {@link SmallPlaneDepthwise} convolution with bias
     * and epilogue into y[yOff]; s[sOff, sOff + {@link SmallPlaneDepthwise#scratchSize()}) is scratch.
     * The reference computes it plane by plane.
     */
    void depthwiseImage(SmallPlaneDepthwise sp, float[] x, int xOff, Epilogue e, float[] s, int sOff, float[] y,
                        int yOff) {
        Depthwise3x3 d = sp.d;
        for (int c = 0; c < sp.channels; c++) {
            d.plane(x, xOff + c * d.h * d.w, sp.channelWeights, c * 9, sp.channelBias[c], e, y, yOff + c * d.outSize);
        }
    }

    /**
     * One output plane of a 3x3 max pool in the {@link Depthwise3x3} layout (see
     * {@link Depthwise3x3#maxPlane}); s[sOff, sOff + d.workSize()) is scratch whose guards the
     * caller has filled with -infinity.
     */
    void maxPool3x3(Depthwise3x3 d, float[] x, int xOff, float[] s, int sOff, float[] y, int yOff) {
        d.maxPlane(x, xOff, y, yOff);
    }

    /**
     * One plane of a 2x2 max pool at stride 2 without pads (rows of w floats at xOff, every window
     * inside the plane): {@code y[yOff + oy * outW + ox]} the max of the window at (2 oy, 2 ox).
     * s[sOff, sOff + outH * w) is scratch (the vector loops max the row pairs there first).
     */
    void maxPool2x2(float[] x, int xOff, int w, int outH, int outW, float[] s, int sOff, float[] y, int yOff) {
        for (int oy = 0, o = yOff; oy < outH; oy++) {
            int r0 = xOff + 2 * oy * w;
            int r1 = r0 + w;
            for (int ox = 0, c = 0; ox < outW; ox++, o++, c += 2) {
                y[o] = Math.max(Math.max(x[r0 + c], x[r0 + c + 1]), Math.max(x[r1 + c], x[r1 + c + 1]));
            }
        }
    }

    /** {@code t[tOff + j] = max_tap d[dOff + tapOff[tap] + j]} (first tap wins ties and NaNs) for {@code j in [0, count)}; count a multiple of PAD. */
    void maxTaps(float[] d, int dOff, int[] tapOff, float[] t, int tOff, int count) {
        System.arraycopy(d, dOff + tapOff[0], t, tOff, count);
        for (int tap = 1; tap < tapOff.length; tap++) {
            int off = dOff + tapOff[tap];
            for (int j = 0; j < count; j++) {
                float v = d[off + j];
                t[tOff + j] = v > t[tOff + j] ? v : t[tOff + j];
            }
        }
    }

    /** {@code t[tOff + j] = sum_tap d[dOff + tapOff[tap] + j]} for {@code j in [0, count)}; count a multiple of PAD. */
    void sumTaps(float[] d, int dOff, int[] tapOff, float[] t, int tOff, int count) {
        System.arraycopy(d, dOff + tapOff[0], t, tOff, count);
        for (int tap = 1; tap < tapOff.length; tap++) {
            int off = dOff + tapOff[tap];
            for (int j = 0; j < count; j++) {
                t[tOff + j] += d[off + j];
            }
        }
    }

    /** {@code y[yOff + i] = act(x[xOff + i] + bias)} for {@code i in [0, len)}; x may be y. */
    void biasActivation(float[] x, int xOff, float[] y, int yOff, int len, float bias, Epilogue e) {
        if (e.clamps()) {
            float lo = e.lo();
            float hi = e.hi();
            for (int i = 0; i < len; i++) {
                y[yOff + i] = Math.min(Math.max(x[xOff + i] + bias, lo), hi);
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            y[yOff + i] = x[xOff + i] + bias;
        }
        e.activation().apply(y, yOff, yOff + len);
    }

    /**
     * {@code y[yOff + i] = act(x[xOff + i] + bias + r[rOff + i])} for {@code i in [0, len)}: a block of a
     * convolution's output with its residual; x or r may be y.
     */
    void biasResidualActivation(float[] x, int xOff, float[] r, int rOff, float[] y, int yOff, int len, float bias,
                                Epilogue e) {
        float lo = e.clamps() ? e.lo() : Float.NEGATIVE_INFINITY;
        float hi = e.clamps() ? e.hi() : Float.POSITIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            y[yOff + i] = Math.min(Math.max(x[xOff + i] + bias + r[rOff + i], lo), hi);
        }
        if (!e.clamps()) {
            e.activation().apply(y, yOff, yOff + len);
        }
    }

    /**
     * Columns [from, to) of t (rows x cols, row-major: Y^T, one output channel per column) into y as
     * rows (Y, one plane of {@code rows} positions per channel), each with its bias and clamped:
     * {@code y[yOff + c * rows + r] = min(max(t[r * cols + c] + bias[bOff + c], lo), hi)}; bias null: none
     * added. t is scratch: its columns [from, to) may be overwritten (the vector loops add the bias in
     * place to the rows they do not transpose in registers).
     */
    void transposeBias(float[] t, int rows, int cols, int from, int to, float[] bias, int bOff, float lo, float hi,
                       float[] y, int yOff) {
        biasRows(t, 0, rows, cols, from, to, bias, bOff, lo, hi);
        transposeRows(t, 0, rows, rows, cols, from, to, y, yOff);
    }

    /**
     * {@code t[r * cols + c] = min(max(t[r * cols + c] + bias[bOff + c], lo), hi)} for rows [r0, r1) and
     * columns [from, to); bias null: none added. Nothing to add or clamp: nothing done.
     */
    void biasRows(float[] t, int r0, int r1, int cols, int from, int to, float[] bias, int bOff, float lo, float hi) {
        if (bias == null && lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY) {
            return;
        }
        for (int r = r0; r < r1; r++) {
            int src = r * cols;
            for (int c = from; c < to; c++) {
                float v = bias != null ? t[src + c] + bias[bOff + c] : t[src + c];
                t[src + c] = Math.min(Math.max(v, lo), hi);
            }
        }
    }

    /**
     * {@code y[yOff + c * rows + r] = t[r * cols + c]} for rows [r0, r1) and columns [from, to) of t, in
     * tiles of 16 columns, so that each output row is written from the front.
     */
    static void transposeRows(float[] t, int r0, int r1, int rows, int cols, int from, int to, float[] y, int yOff) {
        for (int c0 = from; c0 < to; c0 += 16) {
            int c1 = Math.min(to, c0 + 16);
            for (int r = r0; r < r1; r++) {
                int src = r * cols;
                for (int c = c0; c < c1; c++) {
                    y[yOff + c * rows + r] = t[src + c];
                }
            }
        }
    }

    /** {@code y[yOff + i] = x[xOff + i] * mul + add} for {@code i in [0, len)}. */
    void affine(float[] x, int xOff, float[] y, int yOff, int len, float mul, float add) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = x[xOff + i] * mul + add;
        }
    }

    /** The sum of {@code x[off, off + len)}. */
    float sum(float[] x, int off, int len) {
        float s = 0f;
        for (int i = off, end = off + len; i < end; i++) {
            s += x[i];
        }
        return s;
    }

    /** The sum of {@code (x[i] - mean)^2} over {@code [off, off + len)}. */
    float sumSquaredDiff(float[] x, int off, int len, float mean) {
        float s = 0f;
        for (int i = off, end = off + len; i < end; i++) {
            float d = x[i] - mean;
            s += d * d;
        }
        return s;
    }

    /** The max of {@code x[off, off + len)}, len > 0. */
    float max(float[] x, int off, int len) {
        float m = x[off];
        for (int i = off + 1, end = off + len; i < end; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    /** {@code y[i] = (x[i] - mean) * invStd * scale[i - off] + bias[i - off]} over {@code [off, off + len)}. */
    void normalise(float[] x, float[] y, int off, int len, float mean, float invStd, float[] scale, float[] bias) {
        for (int i = 0; i < len; i++) {
            y[off + i] = (x[off + i] - mean) * invStd * scale[i] + bias[i];
        }
    }

    /** {@code y[i] = exp(x[i] - shift)} over {@code [off, off + len)}; returns their sum. */
    float expShift(float[] x, float[] y, int off, int len, float shift) {
        float s = 0f;
        for (int i = off, end = off + len; i < end; i++) {
            float e = (float) Math.exp(x[i] - shift);
            y[i] = e;
            s += e;
        }
        return s;
    }

    /** {@code y[i] *= mul} over {@code [off, off + len)}. */
    void scale(float[] y, int off, int len, float mul) {
        for (int i = off, end = off + len; i < end; i++) {
            y[i] *= mul;
        }
    }

    /** {@code y[i] = x[i] - sub} over {@code [off, off + len)}. */
    void subtract(float[] x, float[] y, int off, int len, float sub) {
        for (int i = off, end = off + len; i < end; i++) {
            y[i] = x[i] - sub;
        }
    }

    /**
     * The input transform of Winograd's F(2x2, 3x3) ({@link Winograd3x3}) for tiles {@code [0, n)} of
     * one channel: tile j's 4x4 window is {@code d[a][b] = ph[pOff + taps[4a + b] + j]}, and its 16
     * values {@code B^T d B} go to {@code v[vOff + xi * xiStride + (j / nr) * panelStride + j % nr]},
     * {@code xi = 4i + k} for row i and column k: one row of panels of nr columns per channel, the layout
     * {@link dev.continuum.engine.internal.gemm.Sgemm#multiplyPanels} reads. The vector subclass also
     * writes the tiles up to the next multiple of {@link #lanes()}, reading ph that far.
     */
    void winogradInput(float[] ph, int pOff, int[] taps, int n, float[] v, int vOff, int xiStride, int panelStride,
                       int nr) {
        for (int j = 0; j < n; j++) {
            int o = vOff + j / nr * panelStride + j % nr;
            int p = pOff + j;
            for (int b = 0; b < 4; b++) {
                // column b of B^T d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3 of the window's column b
                float d0 = ph[p + taps[b]];
                float d1 = ph[p + taps[4 + b]];
                float d2 = ph[p + taps[8 + b]];
                float d3 = ph[p + taps[12 + b]];
                v[o + b * xiStride] = d0 - d2; // (B^T d)[i][b] for now; B applied below
                v[o + (4 + b) * xiStride] = d1 + d2;
                v[o + (8 + b) * xiStride] = d2 - d1;
                v[o + (12 + b) * xiStride] = d1 - d3;
            }
            for (int i = 0; i < 4; i++) {
                int row = o + 4 * i * xiStride;
                float r0 = v[row];
                float r1 = v[row + xiStride];
                float r2 = v[row + 2 * xiStride];
                float r3 = v[row + 3 * xiStride];
                v[row] = r0 - r2;
                v[row + xiStride] = r1 + r2;
                v[row + 2 * xiStride] = r2 - r1;
                v[row + 3 * xiStride] = r1 - r3;
            }
        }
    }

    /**
     * The output transform of Winograd's F(2x2, 3x3) for one output channel: tile {@code (ty, tx)}
     * ({@code ty < tileRows}, {@code tx < tw}) has its 16 products at
     * {@code mo[mOff + xi * xiStride + ty * wh + tx]}, and its 2x2 outputs {@code A^T M A} go to rows
     * {@code 2ty, 2ty + 1} and columns {@code 2tx, 2tx + 1} of the rows of outW at yOff, as
     * {@code min(max(value + bias + r, lo), hi)} (r at the same index as y; null: none). Outputs at
     * rows from outRows on or columns from outW on are dropped. The vector subclass may write
     * anything below {@code limit} before it writes the outputs there (its stores run on into the
     * rows below), and uses {@code tmp[tmpOff, tmpOff + 2 * lanes())} for the stores that would pass it.
     */
    void winogradOutput(float[] mo, int mOff, int xiStride, int wh, int tw, int tileRows, float bias, float[] y,
                        int yOff, int outW, int outRows, float[] r, float lo, float hi, int limit, float[] tmp,
                        int tmpOff) {
        for (int ty = 0; ty < tileRows; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int j = mOff + ty * wh + tx;
                int x = xiStride;
                // A^T M: rows m0 + m1 + m2 and m1 - m2 - m3 of each column k (products xi = 4 * row + k)
                float s00 = mo[j] + mo[j + 4 * x] + mo[j + 8 * x];
                float s01 = mo[j + x] + mo[j + 5 * x] + mo[j + 9 * x];
                float s02 = mo[j + 2 * x] + mo[j + 6 * x] + mo[j + 10 * x];
                float s03 = mo[j + 3 * x] + mo[j + 7 * x] + mo[j + 11 * x];
                float s10 = mo[j + 4 * x] - mo[j + 8 * x] - mo[j + 12 * x];
                float s11 = mo[j + 5 * x] - mo[j + 9 * x] - mo[j + 13 * x];
                float s12 = mo[j + 6 * x] - mo[j + 10 * x] - mo[j + 14 * x];
                float s13 = mo[j + 7 * x] - mo[j + 11 * x] - mo[j + 15 * x];
                winogradStore(y, yOff + 2 * ty * outW + 2 * tx, s00 + s01 + s02, s01 - s02 - s03, 2 * tx + 1 < outW,
                        bias, r, lo, hi);
                if (2 * ty + 1 < outRows) {
                    winogradStore(y, yOff + (2 * ty + 1) * outW + 2 * tx, s10 + s11 + s12, s11 - s12 - s13,
                            2 * tx + 1 < outW, bias, r, lo, hi);
                }
            }
        }
    }

    /** Two horizontally neighbouring outputs of {@link #winogradOutput} at y[at] (the second when {@code both}). */
    private static void winogradStore(float[] y, int at, float out0, float out1, boolean both, float bias, float[] r,
                                      float lo, float hi) {
        y[at] = Math.min(Math.max(out0 + bias + (r != null ? r[at] : 0f), lo), hi);
        if (both) {
            y[at + 1] = Math.min(Math.max(out1 + bias + (r != null ? r[at + 1] : 0f), lo), hi);
        }
    }
}
