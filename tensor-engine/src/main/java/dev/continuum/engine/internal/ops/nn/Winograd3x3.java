package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.gemm.PackedRows;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;

/**
 * A 3x3 convolution of stride 1 by Winograd's minimal filtering F(2x2, 3x3): each 2x2 block of
 * outputs (a tile) comes from the 4x4 window of input under it in 16 multiplications per input
 * channel where the window sum takes 36, so the product does 4 where the direct one does 9 per
 * output. Per block of tiles:
 * <ol>
 *   <li>the input transform {@code V = B^T d B} of every channel's windows, 16 values per tile, laid out
 *       as 16 matrices of (channels x tiles) in the GEMM's panels ({@link NnLoops#winogradInput});</li>
 *   <li>16 products {@code M_xi = U_xi V_xi}, U_xi the (output channels x channels) matrix of the
 *       transformed weights {@code U = G g G^T}, packed at load;</li>
 *   <li>the output transform {@code A^T M A} of each tile into its 2x2 outputs, with the bias, the
 *       residual and the clamp ({@link NnLoops#winogradOutput}).</li>
 * </ol>
 * The windows are read from X's {@link Phases} for a 4x4 window at stride 2 (tile (ty, tx)'s window
 * starts at row 2ty, column 2tx of the padded plane): tap (a, b) of the tiles of a row of tiles is
 * one contiguous run, as for the other convolutions. The transforms add and subtract only (the
 * weights' halves are folded into U), so the results differ from the direct sum by a few rounding
 * steps.
 */
final class Winograd3x3 {
    /** Tiles a block of {@link #run} aims at: two panels of 32, whose products and transforms stay in L2. */
    private static final int BLOCK_TILES = 64;
    /**
     * Output channels per part of U: each part's 16 products are transformed into Y before the next
     * part's, so M holds this many channels and stays in L2 with V.
     */
    static final int PART_ROWS = 32;

    private final Phases tiles;
    private final int outH;
    private final int outW;
    private final int th; // rows of tiles
    private final int tw; // tiles per row
    private final int channels;
    private final int outChannels;
    private final int rowsPer; // rows of tiles per block
    private final int nr; // the GEMM's panel width: V's panels
    // the scratch: V's 16 matrices vStride floats apart, then M's mStride apart (rows ldc apart), then
    // tmp floats for NnLoops.winogradOutput
    private final int vStride;
    private final int ldc;
    private final int mStride;
    private final int tmp;

    private Winograd3x3(Phases tiles, int outH, int outW, int channels, int outChannels, int lanes) {
        this.tiles = tiles;
        this.outH = outH;
        this.outW = outW;
        this.th = tiles.outH;
        this.tw = tiles.outW;
        this.channels = channels;
        this.outChannels = outChannels;
        this.rowsPer = Math.max(1, Math.min(th, (BLOCK_TILES + tiles.wh / 2) / tiles.wh));
        int maxTiles = rowsPer * tiles.wh;
        this.nr = Sgemm.get().panelWidth();
        this.vStride = skewed((maxTiles + nr - 1) / nr * channels * nr);
        this.ldc = maxTiles + lanes;
        this.mStride = skewed(Math.min(PART_ROWS, outChannels) * ldc);
        this.tmp = 2 * lanes;
    }

    /**
     * The layout for a convolution of {@code channels -> outChannels} channels in one group with this
     * geometry, for loops of this many lanes, or null when it is not a 3x3 window of stride 1 and
     * dilation 1 on a 2-D image.
     */
    static Winograd3x3 of(ConvGeometry g, int channels, int outChannels, int lanes) {
        if (g.rank() != 2) {
            return null;
        }
        for (int d = 0; d < 2; d++) {
            if (g.kernel()[d] != 3 || g.strides()[d] != 1 || g.dilations()[d] != 1) {
                return null;
            }
        }
        int outH = g.out()[0];
        int outW = g.out()[1];
        Phases tiles = new Phases(g.image()[0], g.image()[1], 4, 4, 2, 2, g.padBegin()[0], g.padBegin()[1],
                (outH + 1) / 2, (outW + 1) / 2);
        return new Winograd3x3(tiles, outH, outW, channels, outChannels, lanes);
    }

    /**
     * The 16 matrices {@code U_xi} (outChannels x channels) of the weights w (outChannels, channels, 3, 3),
     * {@code U = G g G^T} per (output channel, channel) with G's rows (1, 0, 0), (1/2, 1/2, 1/2),
     * (1/2, -1/2, 1/2), (0, 0, 1), packed for the product in parts of {@link #PART_ROWS} output channels:
     * {@code [xi][part]}.
     */
    static PackedRows[][] transformWeights(float[] w, int outChannels, int channels, Sgemm gemm) {
        int parts = (outChannels + PART_ROWS - 1) / PART_ROWS;
        PackedRows[][] packed = new PackedRows[16][parts];
        // one part's 16 matrices at a time: at load a temporary of all of U (1.8 times W) costs its zeroing and
        // page faults
        float[][] u = new float[16][Math.min(PART_ROWS, outChannels) * channels];
        for (int part = 0; part < parts; part++) {
            int first = part * PART_ROWS;
            int rows = Math.min(PART_ROWS, outChannels - first);
            for (int e = 0, at = first * channels * 9; e < rows * channels; e++, at += 9) {
                // G g, row by row (each of 3 columns), then (G g) G^T: each row (a, b, c) to (a, (a + b + c) / 2,
                // (a - b + c) / 2, c); locals only, no array per pair: a model's first load runs this interpreted
                for (int i = 0; i < 4; i++) {
                    float a0;
                    float a1;
                    float a2;
                    if (i == 0 || i == 3) {
                        int row = at + (i == 0 ? 0 : 6);
                        a0 = w[row];
                        a1 = w[row + 1];
                        a2 = w[row + 2];
                    } else {
                        float sign = i == 1 ? 1f : -1f;
                        a0 = (w[at] + sign * w[at + 3] + w[at + 6]) / 2;
                        a1 = (w[at + 1] + sign * w[at + 4] + w[at + 7]) / 2;
                        a2 = (w[at + 2] + sign * w[at + 5] + w[at + 8]) / 2;
                    }
                    u[4 * i][e] = a0;
                    u[4 * i + 1][e] = (a0 + a1 + a2) / 2;
                    u[4 * i + 2][e] = (a0 - a1 + a2) / 2;
                    u[4 * i + 3][e] = a2;
                }
            }
            for (int xi = 0; xi < 16; xi++) {
                packed[xi][part] = gemm.packRows(rows, channels, u[xi], 0, channels);
            }
        }
        return packed;
    }

    /**
     * A stride of at least floats between the 16 matrices of V or of M, an odd number of 64-byte lines:
     * at a multiple of 4 KB the 16 streams of a transform map to the same sets of L1 and evict each
     * other (64 channels: 16 KB apart).
     */
    private static int skewed(int floats) {
        return (floats + 31) / 32 * 32 + 16;
    }

    /**
     * Y (n images of outChannels planes) from X (n images of channels planes) and U (from
     * {@link #transformWeights}): {@code act(conv + bias + r)} (r null: none), the activation a clamp in
     * the output transform's stores or else applied to each block's rows after it. On the calling
     * thread: per block of rows of tiles, the phase rows its windows read, their input transform, and
     * per part of U the 16 products and their output transform.
     */
    void run(ExecContext ctx, NnLoops loops, PackedRows[][] u, int n, float[] x, float[] y, float[] bias, float[] r,
             Epilogue e) {
        Sgemm gemm = Sgemm.get();
        float[] phases = ctx.floats(channels * PanelIm2Col.phasePlane(tiles) + tiles.size);
        float[] scratch = ctx.floats(16 * vStride + 16 * mStride + tmp);
        for (int img = 0; img < n; img++) {
            for (int ty0 = 0; ty0 < th; ty0 += rowsPer) {
                int rows = Math.min(rowsPer, th - ty0);
                transform(loops, x, img, phases, ty0, rows, scratch);
                for (int part = 0; part < u[0].length; part++) {
                    part(gemm, loops, u, part, scratch, img, ty0, rows, y, bias, r, e);
                }
            }
        }
        ctx.recycle(scratch);
        ctx.recycle(phases);
    }

    /**
     * The phase rows of image img that the tiles of rows [ty0, ty0 + rows) read (into phases, one image's
     * worth), and their input transform into V at 0 (the block's tiles, with one throw-away tile per row).
     */
    private void transform(NnLoops loops, float[] x, int img, float[] phases, int ty0, int rows, float[] v) {
        int plane = PanelIm2Col.phasePlane(tiles);
        int imageSize = tiles.h * tiles.w;
        for (int c = 0; c < channels; c++) {
            tiles.fillRows(x, (img * channels + c) * imageSize, phases, c * plane, 0f, ty0, ty0 + rows + 1);
            loops.winogradInput(phases, c * plane + ty0 * tiles.wh, tiles.tapOffsets, rows * tiles.wh, v, c * nr,
                    vStride, channels * nr, nr);
        }
    }

    /**
     * Output channels [part * PART_ROWS, ...) of the tiles of rows [ty0, ty0 + rows) of image img: the 16
     * products of U's part with V (at 0 in s) into M (after V; the part's channels only: it stays in L2
     * with V), then their output transform into Y, the activation a clamp in its stores or else
     * applied to the block's rows after them.
     */
    private void part(Sgemm gemm, NnLoops loops, PackedRows[][] u, int part, float[] s, int img, int ty0, int rows,
                      float[] y, float[] bias, float[] r, Epilogue e) {
        int mBase = 16 * vStride;
        for (int xi = 0; xi < 16; xi++) {
            gemm.multiplyPanels(u[xi][part], s, xi * vStride, rows * tiles.wh, s, mBase + xi * mStride, ldc,
                    ExecContext.serial());
        }
        float lo = e.clamps() ? e.lo() : Float.NEGATIVE_INFINITY;
        float hi = e.clamps() ? e.hi() : Float.POSITIVE_INFINITY;
        int outRows = Math.min(2 * rows, outH - 2 * ty0);
        int o0 = part * PART_ROWS;
        for (int o = o0; o < Math.min(outChannels, o0 + PART_ROWS); o++) {
            int yOff = ((img * outChannels + o) * outH + 2 * ty0) * outW;
            loops.winogradOutput(s, mBase + (o - o0) * ldc, mStride, tiles.wh, tw, rows, bias[o], y, yOff, outW,
                    outRows, r, lo, hi, yOff + outRows * outW, s, mBase + 16 * mStride);
            if (!e.clamps()) {
                e.activation().apply(y, yOff, yOff + outRows * outW);
            }
        }
    }
}
