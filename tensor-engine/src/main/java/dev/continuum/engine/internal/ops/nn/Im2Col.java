package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/**
 * Unfolds image windows into a column matrix and back. The column matrix has one row per
 * (channel, kernel offset), {@code channels * kernelSize} rows in all, and one column per window
 * position ({@code outSize}); padding reads as zero.
 */
final class Im2Col {
    private Im2Col() {
    }

    /** col (channels * kernelSize, outSize) = windows of image x (channels, image...) starting at xOffset. */
    static void im2col(ExecContext ctx, ConvGeometry g, float[] x, int xOffset, int channels, float[] col) {
        int kSize = g.kernelSize();
        int rows = channels * kSize;
        int grain = Math.max(1, 32768 / Math.max(1, g.outSize()));
        ctx.parallelFor(rows, grain, (from, to) -> {
            for (int r = from; r < to; r++) {
                int c = r / kSize;
                walkRow(g, r % kSize, x, xOffset + c * g.imageSize(), col, r * g.outSize(), false);
            }
        });
    }

    /** image y (channels, image...) at yOffset += the fold of col (channels * kernelSize, outSize). */
    static void col2im(ExecContext ctx, ConvGeometry g, float[] col, int channels, float[] y, int yOffset) {
        int kSize = g.kernelSize();
        int grain = Math.max(1, 32768 / Math.max(1, g.outSize() * kSize));
        ctx.parallelFor(channels, grain, (from, to) -> {
            for (int c = from; c < to; c++) {
                for (int k = 0; k < kSize; k++) {
                    int r = c * kSize + k;
                    walkRow(g, k, y, yOffset + c * g.imageSize(), col, r * g.outSize(), true);
                }
            }
        });
    }

    /**
     * For kernel offset index {@code k}, visits every window position: gathers image values into
     * the col row (or, when {@code scatter}, adds the col row into the image).
     */
    private static void walkRow(ConvGeometry g, int k, float[] img, int imgOffset, float[] col, int colOffset,
                                boolean scatter) {
        int nd = g.rank();
        int[] kernelOffset = new int[nd];
        for (int d = nd - 1, rest = k; d >= 0; d--) {
            kernelOffset[d] = rest % g.kernel()[d];
            rest /= g.kernel()[d];
        }
        int[] imgStrides = Shapes.strides(g.image());
        int last = nd - 1;
        int lastOut = g.out()[last];
        int lastIn = g.image()[last];
        int stride = g.strides()[last];
        int shift = kernelOffset[last] * g.dilations()[last] - g.padBegin()[last];
        int outer = lastOut == 0 ? 0 : g.outSize() / lastOut;
        int[] pos = new int[nd]; // odometer over the outer output dims
        for (int o = 0; o < outer; o++) {
            int base = imgOffset;
            boolean inside = true;
            for (int d = 0; d < last; d++) {
                int ix = pos[d] * g.strides()[d] + kernelOffset[d] * g.dilations()[d] - g.padBegin()[d];
                inside &= ix >= 0 && ix < g.image()[d];
                base += ix * imgStrides[d];
            }
            int dst = colOffset + o * lastOut;
            if (!inside) {
                if (!scatter) {
                    Arrays.fill(col, dst, dst + lastOut, 0f);
                }
            } else if (scatter) {
                for (int ox = 0; ox < lastOut; ox++) {
                    int ix = ox * stride + shift;
                    if (ix >= 0 && ix < lastIn) {
                        img[base + ix] += col[dst + ox];
                    }
                }
            } else {
                for (int ox = 0; ox < lastOut; ox++) {
                    int ix = ox * stride + shift;
                    col[dst + ox] = ix >= 0 && ix < lastIn ? img[base + ix] : 0f;
                }
            }
            for (int d = last - 1; d >= 0; d--) {
                if (++pos[d] < g.out()[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
    }
}
