package dev.continuum.engine.internal.ops.nn;

import java.util.Arrays;

/**
 * The polyphase layout of a padded 2-D plane for a window of stride (sh, sw), dilation 1: phase
 * {@code (py, px)} holds rows {@code r * sh + py} and columns {@code i * sw + px} of the padded
 * plane, {@code hh} rows of {@code wh} values each. Window tap {@code (ky, kx)} of output
 * {@code (oy, ox)} then sits at {@code tapOffset(ky, kx) + oy * wh + ox}: every tap is one
 * contiguous run over the flattened output (with {@code wh - outW} throw-away columns per row), so
 * a vector loop needs neither gathers nor edge cases.
 */
final class Phases {
    final int h;
    final int w; // input plane (h, w)
    final int outH;
    final int outW;
    final int sh;
    final int sw;
    final int padTop;
    final int padLeft;
    final int hh; // rows per phase: outH + (kh - 1) / sh
    final int wh; // row length per phase: outW + (kw - 1) / sw
    final int[] tapOffsets; // (kh * kw), row-major over the kernel
    final int count; // flattened outputs to compute: outH * wh rounded up to NnLoops.PAD
    final int size; // floats a phase buffer needs, slack for the last taps' over-reads included

    /** The layout for a window geometry, or null when it is not 2-D or is dilated. */
    static Phases of(ConvGeometry g) {
        if (g.rank() != 2 || g.dilations()[0] != 1 || g.dilations()[1] != 1) {
            return null;
        }
        return new Phases(g.image()[0], g.image()[1], g.kernel()[0], g.kernel()[1], g.strides()[0], g.strides()[1],
                g.padBegin()[0], g.padBegin()[1], g.out()[0], g.out()[1]);
    }

    Phases(int h, int w, int kh, int kw, int sh, int sw, int padTop, int padLeft, int outH, int outW) {
        this.h = h;
        this.w = w;
        this.outH = outH;
        this.outW = outW;
        this.sh = sh;
        this.sw = sw;
        this.padTop = padTop;
        this.padLeft = padLeft;
        hh = outH + (kh - 1) / sh;
        wh = outW + (kw - 1) / sw;
        tapOffsets = new int[kh * kw];
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                tapOffsets[ky * kw + kx] = ((ky % sh) * sw + kx % sw) * hh * wh + (ky / sh) * wh + kx / sw;
            }
        }
        count = (outH * wh + NnLoops.PAD - 1) / NnLoops.PAD * NnLoops.PAD;
        size = sh * sw * hh * wh + wh + NnLoops.PAD;
    }

    /**
     * Fills the phases of plane x[xOff, xOff + h * w) into d[dOff, dOff + sh * sw * hh * wh); padding reads as
     * {@code pad}. The slack past the phases is left as it is (only throw-away outputs read it).
     */
    void fill(float[] x, int xOff, float[] d, int dOff, float pad) {
        fillRows(x, xOff, d, dOff, pad, 0, hh, dOff + sh * sw * hh * wh);
    }

    /**
     * {@link #fill}, free to write anything below {@code limit} past the phases as well (the caller
     * writes it after): the rows of a stride-1 layout go a vector at a time, a vector's store running on
     * into the rows below, and with a limit past the phases (the next channel's) the last rows too.
     */
    void fill(float[] x, int xOff, float[] d, int dOff, float pad, int limit) {
        fillRows(x, xOff, d, dOff, pad, 0, hh, limit);
    }

    /**
     * {@link #fill} of rows [r0, r1) of every phase only: what the outputs of rows [r0, r1 - (kh - 1) / sh)
     * read.
     */
    void fillRows(float[] x, int xOff, float[] d, int dOff, float pad, int r0, int r1) {
        fillRows(x, xOff, d, dOff, pad, r0, r1, -1);
    }

    /** {@link #fillRows}; whole phases of one column phase (sw = 1) as {@link NnLoops#paddedRows} up to limit. */
    private void fillRows(float[] x, int xOff, float[] d, int dOff, float pad, int r0, int r1, int limit) {
        NnLoops loops = NnLoops.get();
        for (int py = 0; py < sh; py++) {
            // rows [rLo, rHi) of this row phase are inside the image
            int rLo = Math.max(r0, Math.floorDiv(padTop - py + sh - 1, sh));
            int rHi = Math.min(r1, Math.floorDiv(h - 1 + padTop - py, sh) + 1);
            for (int px = 0; px < sw; px++) {
                int base = dOff + (py * sw + px) * hh * wh;
                int iLo = Math.max(0, Math.floorDiv(padLeft - px + sw - 1, sw));
                int iHi = Math.min(wh, Math.floorDiv(w - 1 + padLeft - px, sw) + 1);
                if (rLo >= rHi || iLo >= iHi) {
                    Arrays.fill(d, base + r0 * wh, base + r1 * wh, pad);
                    continue;
                }
                int colShift = px - padLeft;
                if (sw == 1 && r0 == 0 && r1 == hh && limit >= 0) {
                    // a whole phase: a row's vector store may run on into the rows below, the next phase's
                    // or the next channel's, which are written after it
                    Arrays.fill(d, base, base + rLo * wh, pad);
                    loops.paddedRows(x, xOff + (rLo * sh + py - padTop) * w + colShift, sh * w, d, base + rLo * wh,
                            wh, rHi - rLo, iLo, iHi, pad, limit);
                    Arrays.fill(d, base + rHi * wh, base + hh * wh, pad);
                    continue;
                }
                // the rows above the image and the first row's left pad, then per row its values and
                // the pads up to the next row's values, then the rows below: one run of pads each
                Arrays.fill(d, base + r0 * wh, base + rLo * wh + iLo, pad);
                int gap = wh - iHi + iLo;
                for (int r = rLo; r < rHi; r++) {
                    int row = base + r * wh;
                    int src = xOff + (r * sh + py - padTop) * w + colShift;
                    if (sw == 1) {
                        System.arraycopy(x, src + iLo, d, row + iLo, iHi - iLo);
                    } else if (sw == 2) {
                        loops.everyOther(x, src + 2 * iLo, d, row + iLo, iHi - iLo);
                    } else {
                        for (int i = iLo; i < iHi; i++) {
                            d[row + i] = x[src + i * sw];
                        }
                    }
                    int pads = r + 1 < rHi ? gap : wh - iHi;
                    for (int i = row + iHi, end = i + pads; i < end; i++) {
                        d[i] = pad;
                    }
                }
                Arrays.fill(d, base + rHi * wh, base + r1 * wh, pad);
            }
        }
    }
}
