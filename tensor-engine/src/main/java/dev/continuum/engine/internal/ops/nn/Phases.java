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
        fillRows(x, xOff, d, dOff, pad, 0, hh);
    }

    /**
     * {@link #fill} of rows [r0, r1) of every phase only: what the outputs of rows [r0, r1 - (kh - 1) / sh)
     * read.
     */
    void fillRows(float[] x, int xOff, float[] d, int dOff, float pad, int r0, int r1) {
        NnLoops loops = NnLoops.get();
        for (int py = 0; py < sh; py++) {
            for (int px = 0; px < sw; px++) {
                int base = dOff + (py * sw + px) * hh * wh;
                int iLo = Math.max(0, Math.floorDiv(padLeft - px + sw - 1, sw));
                int iHi = Math.min(wh, Math.floorDiv(w - 1 + padLeft - px, sw) + 1);
                if (iHi < iLo) {
                    iHi = iLo;
                }
                int colShift = px - padLeft;
                for (int r = r0; r < r1; r++) {
                    int iy = r * sh + py - padTop;
                    int row = base + r * wh;
                    if (iy < 0 || iy >= h || iLo >= iHi) {
                        Arrays.fill(d, row, row + wh, pad);
                        continue;
                    }
                    if (iLo > 0) {
                        Arrays.fill(d, row, row + iLo, pad);
                    }
                    if (iHi < wh) {
                        Arrays.fill(d, row + iHi, row + wh, pad);
                    }
                    int src = xOff + iy * w + colShift;
                    if (sw == 1) {
                        System.arraycopy(x, src + iLo, d, row + iLo, iHi - iLo);
                    } else if (sw == 2) {
                        loops.everyOther(x, src + 2 * iLo, d, row + iLo, iHi - iLo);
                    } else {
                        for (int i = iLo; i < iHi; i++) {
                            d[row + i] = x[src + i * sw];
                        }
                    }
                }
            }
        }
    }
}
