package dev.continuum.engine.internal.ops.nn;

import java.util.Arrays;

/**
 * im2col written straight into the right-hand panel layout of
 * {@link dev.continuum.engine.internal.gemm.Sgemm#multiplyPanels}: the column matrix (one row per
 * (channel, ky, kx), one column per output position) is never materialised row-major and never
 * copied again by the GEMM's packing. Panel {@code p} holds output positions
 * {@code [n0 + p*nr, n0 + p*nr + nr)} as {@code rows} consecutive runs of {@code nr} floats,
 * zero past the block and in the padding.
 */
final class PanelIm2Col {
    private PanelIm2Col() {
    }

    /** Floats {@link #fillPhases} needs per channel for this layout. */
    static int phasePlane(Phases ph) {
        return ph.sh * ph.sw * ph.hh * ph.wh;
    }

    /** The {@link Phases} of channels [0, channels) of image x at xOff, one {@link #phasePlane} each, at d[dOff]. */
    static void fillPhases(Phases ph, float[] x, int xOff, int channels, float[] d, int dOff) {
        int plane = phasePlane(ph);
        int end = dOff + channels * plane; // a channel's fill may write into the next one's, never past these
        NnLoops loops = NnLoops.get();
        if (ph.sh == 1 && ph.sw == 1 && (ph.w <= TINY_PLANE_WIDTH || ph.wh <= loops.lanes())) {
            fillSmallPlanes(loops, ph, x, xOff, channels, d, dOff, end);
            return;
        }
        for (int c = 0; c < channels; c++) {
            ph.fill(x, xOff + c * ph.h * ph.w, d, dOff + c * plane, 0f, end);
        }
    }

    /** Widest image rows {@link #fillSmallPlanes} copies one value at a time. */
    private static final int TINY_PLANE_WIDTH = 4;

    /**
     * The stride-1 {@link Phases} of small channels (resnet's 8x8, 4x4 and 2x2 planes, read in place
     * by the transposed product): every channel's plane zeroed in one fill, then each channel's image
     * rows copied in, one value at a time for rows of up to {@link #TINY_PLANE_WIDTH}, else by one
     * {@link NnLoops#paddedRows} per channel (padded rows of one vector: a store per row, whose lanes
     * past the row write zeros into the rows below). The fill per channel and phase spent most of its
     * time on its bookkeeping. In a throw-away harness (Zen 4): 128 channels of 2x2 4.0 -> 1.0 us, 64
     * of 4x4 2.5 -> 1.4, 32 of 8x8 1.8 -> 1.1, 256 of 14x14 14.9 -> 9.9; 16x16 (rows of 18) gained 10 %
     * and 28x28 lost 30 %, so planes whose padded rows pass a vector keep the fill per channel.
     * resnet_small's 128 -> 128 3x3 layer on 2x2 with its residual, alone, 16.2-16.9 -> 14.4-15.0 us.
     */
    private static void fillSmallPlanes(NnLoops loops, Phases ph, float[] x, int xOff, int channels, float[] d,
                                        int dOff, int end) {
        int plane = phasePlane(ph);
        Arrays.fill(d, dOff, end, 0f);
        int rLo = Math.max(0, ph.padTop);
        int rHi = Math.min(ph.hh, ph.padTop + ph.h);
        int iLo = Math.max(0, ph.padLeft);
        int iHi = Math.min(ph.wh, ph.padLeft + ph.w);
        if (rLo >= rHi || iLo >= iHi) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            int src = xOff + c * ph.h * ph.w - ph.padTop * ph.w - ph.padLeft; // padded (r, i) at src + r * w + i
            int dst = dOff + c * plane;
            if (ph.w > TINY_PLANE_WIDTH) {
                loops.paddedRows(x, src + rLo * ph.w, ph.w, d, dst + rLo * ph.wh, ph.wh, rHi - rLo, iLo, iHi, 0f,
                        end);
                continue;
            }
            for (int r = rLo; r < rHi; r++) {
                for (int i = iLo; i < iHi; i++) {
                    d[dst + r * ph.wh + i] = x[src + r * ph.w + i];
                }
            }
        }
    }

    /**
     * Like {@link #fill}, from the channels' {@link Phases} (written by {@link #fillPhases} at pOff):
     * every (row, run of outputs along one output row) is one contiguous copy, padding included.
     */
    static void fromPhases(Phases ph, int taps, float[] phases, int pOff, int channels, int n0, int len, float[] dst,
                           int dOff, int nr) {
        int plane = phasePlane(ph);
        int[] tapOffsets = ph.tapOffsets;
        int rows = channels * taps;
        int outW = ph.outW;
        for (int q0 = 0; q0 < len; q0 += nr) {
            int w = Math.min(nr, len - q0);
            int base = dOff + q0 * rows;
            if (w < nr) {
                Arrays.fill(dst, base, base + rows * nr, 0f);
            }
            for (int p = n0 + q0, end = n0 + q0 + w; p < end; ) {
                int oy = p / outW;
                int ox = p - oy * outW;
                int seg = Math.min(outW - ox, end - p);
                int src = pOff + oy * ph.wh + ox;
                int d = base + p - n0 - q0;
                for (int c = 0; c < channels; c++) {
                    int cSrc = src + c * plane;
                    int cDst = d + c * taps * nr;
                    for (int t = 0; t < taps; t++) {
                        System.arraycopy(phases, cSrc + tapOffsets[t], dst, cDst + t * nr, seg);
                    }
                }
                p += seg;
            }
        }
    }

    /**
     * The gather table of {@link #gatherNarrow} for a 2-D window and panels of nr positions: for
     * panel q, tap t = ky * kw + kx and column j, {@code table[(q * taps + t) * nr + j]} is where
     * output position {@code q * nr + j} reads for that tap in its channel's plane, {@code iy * w + ix};
     * in the padding and past the last position it is {@code h * w}, the zero after each plane in
     * {@link #copyGuarded}'s copy of the image.
     */
    static int[] narrowTable(ConvGeometry g, int nr) {
        int kw = g.kernel()[1];
        int taps = g.kernel()[0] * kw;
        int outW = g.out()[1];
        int outSize = g.outSize();
        int zero = g.imageSize();
        int panels = (outSize + nr - 1) / nr;
        int[] table = new int[panels * taps * nr];
        for (int q = 0; q < panels; q++) {
            for (int t = 0; t < taps; t++) {
                for (int j = 0; j < nr; j++) {
                    int p = q * nr + j;
                    int iy = p / outW * g.strides()[0] + t / kw * g.dilations()[0] - g.padBegin()[0];
                    int ix = p % outW * g.strides()[1] + t % kw * g.dilations()[1] - g.padBegin()[1];
                    boolean inside = p < outSize && iy >= 0 && iy < g.image()[0] && ix >= 0 && ix < g.image()[1];
                    table[(q * taps + t) * nr + j] = inside ? iy * g.image()[1] + ix : zero;
                }
            }
        }
        return table;
    }

    /**
     * Channels [c0, c1) of the image at xOff into xz (channels x (h * w + 1) floats), each plane
     * followed by the zero that {@link #narrowTable} points padding at: the source of {@link #gatherNarrow}.
     */
    static void copyGuarded(float[] x, int xOff, int imageSize, int c0, int c1, float[] xz) {
        int stride = imageSize + 1;
        for (int c = c0; c < c1; c++) {
            System.arraycopy(x, xOff + c * imageSize, xz, c * stride, imageSize);
            xz[c * stride + imageSize] = 0f;
        }
    }

    /**
     * {@link #fill} of panels [q0, q1) of every output position of a narrow output (fewer positions
     * than a panel of the product) through {@link #narrowTable}, from {@link #copyGuarded}'s copy xz:
     * one gather per element with no branch, each (panel, channel) one run of taps x nr floats.
     * {@link #fill}'s copies would be one to four floats each there, and cost more than the product.
     */
    static void gatherNarrow(int[] table, int taps, int nr, float[] xz, int imageSize, int channels, int q0, int q1,
                             float[] dst, int dOff) {
        int stride = imageSize + 1;
        int run = taps * nr;
        for (int q = q0; q < q1; q++) {
            int tq = q * run;
            for (int c = 0; c < channels; c++) {
                int plane = c * stride;
                int d = dOff + (q * channels + c) * run;
                for (int u = 0; u < run; u++) {
                    dst[d + u] = xz[plane + table[tq + u]];
                }
            }
        }
    }

    /** Writes the panels of output positions [n0, n0 + len) of image x (channels, h, w) at xOff into dst[dOff]. */
    static void fill(ConvGeometry g, float[] x, int xOff, int channels, int n0, int len, float[] dst, int dOff,
                     int nr) {
        int kh = g.kernel()[0];
        int kw = g.kernel()[1];
        int h = g.image()[0];
        int wd = g.image()[1];
        int imageSize = h * wd;
        int sh = g.strides()[0];
        int sw = g.strides()[1];
        int dh = g.dilations()[0];
        int padT = g.padBegin()[0];
        int rows = channels * kh * kw;
        int outW = g.out()[1];
        // per kx: the input column offset, and the output columns [oxLo, oxHi) that read inside the image
        int[] shift = new int[kw];
        int[] oxLo = new int[kw];
        int[] oxHi = new int[kw];
        for (int kx = 0; kx < kw; kx++) {
            shift[kx] = kx * g.dilations()[1] - g.padBegin()[1];
            oxLo[kx] = Math.max(0, Math.floorDiv(-shift[kx] + sw - 1, sw));
            oxHi[kx] = Math.max(oxLo[kx], Math.min(outW, Math.floorDiv(wd - 1 - shift[kx], sw) + 1));
        }
        // the output positions of one panel split into runs along one output row (at most nr + 1 runs)
        int[] runOy = new int[nr + 1];
        int[] runOx = new int[nr + 1];
        int[] runAt = new int[nr + 2];
        for (int q0 = 0; q0 < len; q0 += nr) {
            int w = Math.min(nr, len - q0);
            int runs = 0;
            for (int p = n0 + q0, end = n0 + q0 + w; p < end; runs++) {
                runOy[runs] = p / outW;
                runOx[runs] = p % outW;
                runAt[runs] = p - n0 - q0;
                p += Math.min(outW - runOx[runs], end - p);
            }
            runAt[runs] = w;
            int base = dOff + q0 * rows;
            if (w < nr) {
                Arrays.fill(dst, base, base + rows * nr, 0f);
            }
            for (int c = 0; c < channels; c++) {
                int plane = xOff + c * imageSize;
                for (int ky = 0; ky < kh; ky++) {
                    int rowBase = base + (c * kh + ky) * kw * nr;
                    for (int i = 0; i < runs; i++) {
                        int iy = runOy[i] * sh + ky * dh - padT;
                        int ox = runOx[i];
                        int seg = runAt[i + 1] - runAt[i];
                        int d0 = rowBase + runAt[i];
                        if (iy < 0 || iy >= h) {
                            for (int kx = 0; kx < kw; kx++) {
                                Arrays.fill(dst, d0 + kx * nr, d0 + kx * nr + seg, 0f);
                            }
                            continue;
                        }
                        int src = plane + iy * wd;
                        for (int kx = 0; kx < kw; kx++) {
                            int lo = Math.min(Math.max(oxLo[kx], ox), ox + seg);
                            int hi = Math.max(Math.min(oxHi[kx], ox + seg), lo);
                            copy(x, src + shift[kx], sw, ox, lo, hi, ox + seg, dst, d0 + kx * nr);
                        }
                    }
                }
            }
        }
    }

    /** dst[d..] = zeros for [ox, lo), x[src + q * sw] for q in [lo, hi), zeros for [hi, end). */
    private static void copy(float[] x, int src, int sw, int ox, int lo, int hi, int end, float[] dst, int d) {
        for (int q = ox; q < lo; q++) {
            dst[d++] = 0f;
        }
        if (sw == 1) {
            if (hi > lo) { // an empty copy at a position past the end of x still throws
                System.arraycopy(x, src + lo, dst, d, hi - lo);
            }
            d += hi - lo;
        } else {
            for (int q = lo; q < hi; q++) {
                dst[d++] = x[src + q * sw];
            }
        }
        for (int q = hi; q < end; q++) {
            dst[d++] = 0f;
        }
    }
}
