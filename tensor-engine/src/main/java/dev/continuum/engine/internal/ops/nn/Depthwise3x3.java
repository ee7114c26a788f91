package dev.continuum.engine.internal.ops.nn;

/**
 * The geometry of a 3x3 depthwise convolution with one pixel of padding on every side, stride 1
 * (any plane) or stride 2 (planes of even height and width): mobilenet's depthwise layers. The
 * output plane is computed flattened, {@code p = oy * outW + ox}, so that every tap is one constant
 * offset from p in a source plane with the output's row length:
 * <ul>
 *   <li>stride 1: the input plane itself ({@code outW == w}), taps at {@code p + dy * w + dx};</li>
 *   <li>stride 2: the four phases {@code (py, px)} of the input, each {@code (outH, outW)}: phase
 *       {@code (py, px)} holds {@code x[2r + py][2i + px]}; tap {@code (ky, kx)} reads phase
 *       {@code ((ky + 1) % 2, (kx + 1) % 2)} at {@code p + dy * outW + dx}, with {@code dy = -1} for
 *       {@code ky == 0} and 0 otherwise (likewise dx).</li>
 * </ul>
 * The source planes are copied into a scratch buffer ({@link #scratchSize}) with {@link #guard}
 * padding values (0 for a convolution, -infinity for a max pool) before each and after the last,
 * so the rows above and below the image read as padding; a tap that wraps into the neighbouring row ({@code dx = -1} at {@code ox == 0},
 * {@code dx = 1} at {@code ox == outW - 1}) is masked by the caller. The scalar reference
 * ({@link #plane}, {@link #maxPlane}) reads x directly. The same layout serves 3x3 max pooling.
 */
final class Depthwise3x3 {
    final int h;
    final int w; // input plane (h, w)
    final int stride;
    final int outH;
    final int outW;
    final int outSize;
    final int guard; // zeros before each source plane in the scratch: outW + 1
    final int planeStride; // floats per source plane in the scratch, its guard included
    final float[] columns; // (outH * outW): ox of each flattened output, as a float, for the edge masks
    final int[] taps; // (3 * 3): where tap (ky, kx) of output p reads in the scratch, less p
    /**
     * For stride 2 with output rows shorter than {@value #SHORT_ROW}: the stride-1 layout of the same
     * plane. The vector loops compute such planes with one vector per output row, reading x across
     * each row's end; where x ends with the plane (a tensor's last plane) they compute it at stride 1
     * through this layout and keep every other row and column, as the phases would be copied one
     * float at a time (576 planes of 14x14: 120 -> 80 us against the phases).
     */
    final Depthwise3x3 full;

    /** Output rows shorter than this, at stride 2, may go through {@link #full}. */
    static final int SHORT_ROW = 8;

    private Depthwise3x3(int h, int w, int stride) {
        this.h = h;
        this.w = w;
        this.stride = stride;
        this.outH = stride == 1 ? h : h / 2;
        this.outW = stride == 1 ? w : w / 2;
        this.outSize = outH * outW;
        this.full = stride == 2 && outW < SHORT_ROW ? stride1(h, w) : null;
        this.guard = outW + 1;
        this.planeStride = outSize + guard;
        this.columns = new float[outSize];
        for (int p = 0; p < outSize; p++) {
            columns[p] = p % outW;
        }
        this.taps = new int[9];
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                taps[ky * 3 + kx] = stride == 1 ? source(0) + (ky - 1) * w + kx - 1
                        : source((ky + 1) % 2 * 2 + (kx + 1) % 2) - (ky == 0 ? outW : 0) - (kx == 0 ? 1 : 0);
            }
        }
    }

    /**
     * The layout for a window geometry, or null unless it is 3x3, pads 1, dilation 1, stride 1 or
     * stride 2 on an even plane, with the output that implies.
     */
    static Depthwise3x3 of(ConvGeometry g) {
        if (g.rank() != 2) {
            return null;
        }
        for (int d = 0; d < 2; d++) {
            if (g.kernel()[d] != 3 || g.dilations()[d] != 1 || g.padBegin()[d] != 1 || g.padEnd()[d] != 1
                    || g.strides()[d] != g.strides()[0]) {
                return null;
            }
        }
        int h = g.image()[0];
        int w = g.image()[1];
        int s = g.strides()[0];
        if (h < 1 || w < 1 || s != 1 && (s != 2 || h % 2 != 0 || w % 2 != 0)) {
            return null;
        }
        int outH = s == 1 ? h : h / 2;
        int outW = s == 1 ? w : w / 2;
        if (g.out()[0] != outH || g.out()[1] != outW) {
            return null; // e.g. a pool's ceil_mode adds an output row and column
        }
        return new Depthwise3x3(h, w, s);
    }

    /** The stride-1 layout of an h x w plane. */
    static Depthwise3x3 stride1(int h, int w) {
        return new Depthwise3x3(h, w, 1);
    }

    /** Source planes in the scratch: the input for stride 1, its four phases for stride 2. */
    int sourcePlanes() {
        return stride == 1 ? 1 : 4;
    }

    /**
     * Floats of scratch one plane's loops work in: the source planes with their guards, a guard after
     * the last, and {@value #SLACK} more that a vector loop filling the phases may write past it; with
     * {@link #full}, room for its scratch and after it its stride-1 output, or the short rows'
     * outputs and the {@value #SLACK} floats their last store runs past them.
     */
    int workSize() {
        int own = sourcePlanes() * planeStride + guard + SLACK;
        return full == null ? own : Math.max(own, full.scratchSize() + full.outSize + SLACK);
    }

    /**
     * Floats of scratch one plane needs: {@link #workSize()}, and for stride 2 with output rows shorter
     * than the widest vector ({@value #SLACK} lanes) after it a copy of the plane with {@value #SLACK}
     * floats past it, for the loops that read a vector past a plane when the tensor has none after it
     * (its last plane). Wider rows never read past the plane and take no copy.
     */
    int scratchSize() {
        return stride == 2 && outW < SLACK ? workSize() + h * w + SLACK : workSize();
    }

    /** Floats a vector loop may write past the last guard of the scratch: one 512-bit vector. */
    static final int SLACK = 16;

    /** Offset in the scratch of source plane {@code i} (the phase {@code py * 2 + px} for stride 2). */
    int source(int i) {
        return i * planeStride + guard;
    }

    /**
     * The scalar reference: {@code y[yOff + p] = act(bias + sum_tap w[wOff + tap] * x[...])} for the plane of x at xOff,
     * reading x directly (padding skipped).
     */
    void plane(float[] x, int xOff, float[] wt, int wOff, float bias, Epilogue e, float[] y, int yOff) {
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                y[yOff + oy * outW + ox] = element(x, xOff, wt, wOff, bias, oy, ox);
            }
        }
        NnLoops.scalar().biasActivation(y, yOff, y, yOff, outSize, 0f, e);
    }

    /**
     * The scalar reference of a 3x3 max pool: {@code y[yOff + p]} the max of the window, padding as
     * -infinity, taps in row-major order, a tap replacing the running max only when greater (so a
     * NaN counts only as the first tap, as in {@link NnLoops#maxTaps}).
     */
    void maxPlane(float[] x, int xOff, float[] y, int yOff) {
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int tap = 0; tap < 9; tap++) {
                    int iy = oy * stride + tap / 3 - 1;
                    int ix = ox * stride + tap % 3 - 1;
                    float v = iy < 0 || iy >= h || ix < 0 || ix >= w ? Float.NEGATIVE_INFINITY : x[xOff + iy * w + ix];
                    m = tap == 0 || v > m ? v : m;
                }
                y[yOff + oy * outW + ox] = m;
            }
        }
    }

    /** bias plus the weighted taps of output (oy, ox) inside the image. */
    float element(float[] x, int xOff, float[] wt, int wOff, float bias, int oy, int ox) {
        float acc = bias;
        for (int ky = 0; ky < 3; ky++) {
            int iy = oy * stride + ky - 1;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int kx = 0; kx < 3; kx++) {
                int ix = ox * stride + kx - 1;
                if (ix >= 0 && ix < w) {
                    acc += wt[wOff + ky * 3 + kx] * x[xOff + iy * w + ix];
                }
            }
        }
        return acc;
    }

    /**
     * Copies the source planes of x's plane at xOff into the scratch at sOff (guards untouched): the
     * plane itself for stride 1, its four phases for stride 2.
     */
    void fillSources(float[] x, int xOff, float[] s, int sOff) {
        if (stride == 1) {
            System.arraycopy(x, xOff, s, sOff + guard, outSize);
            return;
        }
        for (int r = 0; r < outH; r++) {
            for (int py = 0; py < 2; py++) {
                int src = xOff + (2 * r + py) * w;
                int even = sOff + source(py * 2) + r * outW;
                int odd = sOff + source(py * 2 + 1) + r * outW;
                for (int i = 0; i < outW; i++) {
                    s[even + i] = x[src + 2 * i];
                    s[odd + i] = x[src + 2 * i + 1];
                }
            }
        }
    }
}
