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
    /** Fewest tiles a block of a split run takes: below a panel of 32 the product computes mostly padding. */
    private static final int MIN_BLOCK_TILES = 24;
    /** Blocks per thread a split run aims at, for {@link ExecContext#parallelTasks}' stealing. */
    private static final int TASKS_PER_THREAD = 4;

    final Phases tiles;
    final int outH;
    final int outW;
    final int th; // rows of tiles
    final int tw; // tiles per row
    private final int channels;
    private final int outChannels;

    private Winograd3x3(Phases tiles, int outH, int outW, int channels, int outChannels) {
        this.tiles = tiles;
        this.outH = outH;
        this.outW = outW;
        this.th = tiles.outH;
        this.tw = tiles.outW;
        this.channels = channels;
        this.outChannels = outChannels;
    }

    /**
     * The layout for a convolution of {@code channels -> outChannels} channels in one group with this
     * geometry, or null when it is not a 3x3 window of stride 1 and dilation 1 on a 2-D image.
     */
    static Winograd3x3 of(ConvGeometry g, int channels, int outChannels) {
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
        if (outH < 1 || outW < 1) {
            return null;
        }
        Phases tiles = new Phases(g.image()[0], g.image()[1], 4, 4, 2, 2, g.padBegin()[0], g.padBegin()[1],
                (outH + 1) / 2, (outW + 1) / 2);
        return new Winograd3x3(tiles, outH, outW, channels, outChannels);
    }

    /**
     * The 16 matrices {@code U_xi} (outChannels x channels) of the weights w (outChannels, channels, 3, 3),
     * {@code U = G g G^T} per (output channel, channel) with G's rows (1, 0, 0), (1/2, 1/2, 1/2),
     * (1/2, -1/2, 1/2), (0, 0, 1), packed for the product.
     */
    static PackedRows[] transformWeights(float[] w, int outChannels, int channels, Sgemm gemm) {
        float[][] u = new float[16][outChannels * channels];
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < channels; c++) {
                int at = (o * channels + c) * 9;
                double[] gg = new double[12]; // G g: 4 rows of 3
                for (int b = 0; b < 3; b++) {
                    double g0 = w[at + b];
                    double g1 = w[at + 3 + b];
                    double g2 = w[at + 6 + b];
                    gg[b] = g0;
                    gg[3 + b] = (g0 + g1 + g2) / 2;
                    gg[6 + b] = (g0 - g1 + g2) / 2;
                    gg[9 + b] = g2;
                }
                for (int i = 0; i < 4; i++) {
                    double g0 = gg[3 * i];
                    double g1 = gg[3 * i + 1];
                    double g2 = gg[3 * i + 2];
                    int e = o * channels + c;
                    u[4 * i][e] = (float) g0;
                    u[4 * i + 1][e] = (float) ((g0 + g1 + g2) / 2);
                    u[4 * i + 2][e] = (float) ((g0 - g1 + g2) / 2);
                    u[4 * i + 3][e] = (float) g2;
                }
            }
        }
        PackedRows[] packed = new PackedRows[16];
        for (int xi = 0; xi < 16; xi++) {
            packed[xi] = gemm.packRows(outChannels, channels, u[xi], 0, channels);
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
     * Rows of tiles per block: about {@link #BLOCK_TILES} tiles, at least one row; split over threads,
     * fewer, for about {@link #TASKS_PER_THREAD} blocks per thread, but no fewer than
     * {@link #MIN_BLOCK_TILES} tiles.
     */
    int blockRows(int threads) {
        int rows = Math.max(1, Math.min(th, (BLOCK_TILES + tiles.wh / 2) / tiles.wh));
        if (threads > 1) {
            int few = Math.max((MIN_BLOCK_TILES + tiles.wh - 1) / tiles.wh, (th + TASKS_PER_THREAD * threads - 1)
                    / (TASKS_PER_THREAD * threads));
            rows = Math.min(rows, few);
        }
        return rows;
    }

    /**
     * Y (n images of outChannels planes) from X (n images of channels planes) and U (from
     * {@link #transformWeights}): {@code act(conv + bias + r)} (r null: none), the activation a clamp in
     * the output transform's stores or else applied to each block's rows after it. Blocks of rows
     * of tiles are the tasks, each on one thread with its own scratch: it fills the phase rows its
     * windows read, transforms them, multiplies and writes its rows of every output plane.
     */
    void run(ExecContext ctx, NnLoops loops, PackedRows[] u, int n, float[] x, float[] y, float[] bias, float[] r,
             Epilogue e, boolean split) {
        float lo = e.clamps() ? e.lo() : Float.NEGATIVE_INFINITY;
        float hi = e.clamps() ? e.hi() : Float.POSITIVE_INFINITY;
        Sgemm gemm = Sgemm.get();
        int nr = gemm.panelWidth();
        int lanes = loops.lanes();
        int wh = tiles.wh;
        int rowsPer = blockRows(split ? ctx.threads() : 1);
        int blocks = (th + rowsPer - 1) / rowsPer;
        int tasks = n * blocks;
        int threads = split ? Math.min(ctx.threads(), tasks) : 1;
        int plane = PanelIm2Col.phasePlane(tiles);
        int maxTiles = rowsPer * wh;
        int panels = (maxTiles + nr - 1) / nr;
        int vStride = skewed(panels * channels * nr);
        int ldc = maxTiles + lanes;
        int mStride = skewed(outChannels * ldc);
        int perLane = 16 * vStride + 16 * mStride + 2 * lanes;
        float[] phases = ctx.floats(n * channels * plane + tiles.size);
        float[] scratch = ctx.floats(threads * perLane);
        int imageSize = tiles.h * tiles.w;
        int outSize = outH * outW;
        ctx.parallelTasks(tasks, threads, (task, lane) -> {
            int img = task / blocks;
            int ty0 = task % blocks * rowsPer;
            int rows = Math.min(rowsPer, th - ty0);
            int count = rows * wh; // tiles of the block, with the phase layout's one throw-away tile per row
            int vBase = lane * perLane;
            int mBase = vBase + 16 * vStride;
            int tmp = mBase + 16 * mStride;
            int pImage = img * channels * plane;
            for (int c = 0; c < channels; c++) {
                int pOff = pImage + c * plane;
                tiles.fillRows(x, (img * channels + c) * imageSize, phases, pOff, 0f, ty0, ty0 + rows + 1);
                loops.winogradInput(phases, pOff + ty0 * wh, tiles.tapOffsets, count, scratch, vBase + c * nr,
                        vStride, channels * nr, nr);
            }
            for (int xi = 0; xi < 16; xi++) {
                gemm.multiplyPanels(u[xi], scratch, vBase + xi * vStride, count, scratch, mBase + xi * mStride, ldc,
                        ExecContext.serial());
            }
            int outRows = Math.min(2 * rows, outH - 2 * ty0);
            for (int o = 0; o < outChannels; o++) {
                int yOff = (img * outChannels + o) * outSize + 2 * ty0 * outW;
                loops.winogradOutput(scratch, mBase + o * ldc, mStride, wh, tw, rows, bias[o], y, yOff, outW, outRows,
                        r, lo, hi, yOff + outRows * outW, scratch, tmp);
                if (!e.clamps()) {
                    e.activation().apply(y, yOff, yOff + outRows * outW);
                }
            }
        });
        ctx.recycle(scratch);
        ctx.recycle(phases);
    }
}
