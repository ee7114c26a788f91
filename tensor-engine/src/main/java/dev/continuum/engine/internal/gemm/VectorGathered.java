package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Sgemm#multiplyGathered} on the Vector API: {@code C = A * B} with B in packed panels of two
 * vectors and each element of A read where it lies, {@code src[offsets[kk] + positions[i]]}. A
 * tile of rows holds one source index per row; each k then takes one offset from the table, one
 * broadcast per row and the panel's two vectors, as {@link VectorPanels}' kernels do from packed
 * strips. Nothing is copied first: a convolution's im2col (its column matrix gathered element by
 * element into strips, about 0.8 ns per element) costs as much as a third of these layers' product.
 * <p>
 * Tiles of 8 rows with 16 lanes (16 accumulators of AVX-512's 32 registers), 4 rows with fewer;
 * rows past the last whole tile go 4 and then 1 at a time. Rows at a step of 1 or 2 (outputs within
 * one row of a convolution) go in tiles of 8 and 7 that end with the row, read from one source
 * index ({@link #run}). Each kernel is spelled out for its tile and step: a helper taking vectors
 * gets them boxed, and a step passed in would make the row offsets values to keep in registers
 * rather than constants in the loads.
 * <p>
 * Split over the threads, each thread reads a share of one operand and all of the other, so the
 * larger is split: B's panels (a deep layer's weights) unless the source A is read from spans more
 * floats than B holds, or there are fewer panels than threads; then tiles of rows. Either way in
 * tasks of blocks of tiles, which a thread that runs out takes from the other's share.
 */
final class VectorGathered {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    /** Rows per tile: 8 with 16 lanes, else 4 (8 accumulators within AVX2's 16 registers). */
    private static final int MR = L >= 16 ? 8 : 4;

    /**
     * Tasks per thread of a split product ({@link ExecContext#TASKS_PER_THREAD}). resnet18 at 2
     * threads, in-process A/B of these tasks against fixed halves, medians of four 40-45 s runs:
     * 17,869 -> 16,443, 17,032 -> 16,305, 16,575 -> 16,317 us, and 14,390 -> 14,389 in a quiet spell;
     * {@code ModelComparison --threads 2} (four pairs of runs, alternating builds) could not tell the
     * two apart.
     */
    private static final int TASKS_PER_THREAD = ExecContext.TASKS_PER_THREAD;

    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[8 * NR]);

    private VectorGathered() {
    }

    /**
     * C = A * B for A's rows read at src[sOff + offsets[kk] + positions[i]], which lie within the
     * first {@code span} floats from sOff.
     */
    static void multiply(int[] positions, int m, int[] offsets, float[] src, int sOff, long span, float[] bp, int k,
                         int n, float[] c, int cOff, int ldc, ExecContext ctx) {
        if (m == 0 || n == 0) {
            return;
        }
        int panels = (n + NR - 1) / NR;
        int tiles = (m + MR - 1) / MR;
        if (!ctx.worthSplitting(2L * m * n * k)) {
            range(positions, m, offsets, src, sOff, bp, k, n, c, cOff, ldc, 0, panels, 0, m);
        } else if (panels >= ctx.threads() && span <= (long) k * n) {
            // a stride-2 layer's four phases span more than its weights (resnet18's 64 -> 128 onto
            // 28x28: 860 KB against 295 KB): by rows it took 423 us against 832-1,488 by panels, where
            // each thread read every phase plane, half of them filled by the other core. Each panel in
            // blocks of tiles, so that a lane that runs out takes the last blocks of the other's panels
            int threads = ctx.threads();
            int blocks = Math.min(tiles, (TASKS_PER_THREAD * threads + panels - 1) / panels);
            ctx.parallelTasks(panels * blocks, threads, (task, lane) -> {
                int p = task / blocks;
                int b = task % blocks;
                range(positions, m, offsets, src, sOff, bp, k, n, c, cOff, ldc, p, p + 1, blockRow(m, tiles, blocks, b),
                        blockRow(m, tiles, blocks, b + 1));
            });
        } else {
            // fewer panels than threads, or a source larger than B: each thread takes blocks of tiles of
            // rows, and all of B
            ctx.parallelRanges(tiles, (t0, t1) -> range(positions, m, offsets, src, sOff, bp, k, n, c, cOff, ldc, 0,
                    panels, t0 * MR, Math.min(m, t1 * MR)));
        }
    }

    /** The first of m rows in block b of their tiles in blocks of whole tiles (m for b = blocks). */
    private static int blockRow(int m, int tiles, int blocks, int b) {
        return Math.min(m, (int) ((long) tiles * b / blocks) * MR);
    }

    /**
     * Outputs {@link #range} looks ahead for a run. A run that fills the look may go on: its first
     * {@code RUN_LOOK - RUN_KEEP} outputs go in tiles of 8, and the next look starts after them, so
     * that the look that sees a run's end holds at least {@link #RUN_KEEP} of it: room for the up to
     * seven tiles of 7 (49 outputs) it ends with.
     */
    private static final int RUN_LOOK = 128;

    /** What a look that fills {@link #RUN_LOOK} keeps for the next one: a multiple of 8, at least 49. */
    private static final int RUN_KEEP = 56;

    /**
     * How many of positions[i..i + max) are positions[i] + r * step, from the start: at least 1.
     * {@link #range} reads such a run, outputs within one row of a stride-1 or stride-2 convolution,
     * at constant offsets from one source index ({@link #kernel8Step1} and the like): seven registers
     * fewer live in the loop than {@link #kernel8}'s eight indices. A run goes in tiles of 8 and 7
     * that end with it, so that none crosses a row and a 7x7 plane has no tile of 1 (49 = 6 x 8 + 1,
     * now 7 x 7). In-process A/B, one flag flipped every 250 ms, medians of 15-40 s at 1 thread:
     * <ul>
     *   <li>tiles of 8 within a row, against {@link #kernel8} for every tile: 128 channels of 28x28
     *       (86 % of its tiles within a row) 1,340 -> 1,322 and 1,370 -> 1,301 us; resnet18 24,220 ->
     *       23,986 and 24,285 -> 24,034 us, at 2 threads 15,562 -> 15,456;</li>
     *   <li>then tiles of 7 on rows of 7 and 14: 512 channels of 7x7 1,438 -> 1,257 us, 256 of 14x14
     *       1,312 -> 1,281; resnet18 32,776 -> 31,050 us (the machine in its slow mode), at 2 threads
     *       17,810 -> 17,307;</li>
     *   <li>then on rows of 28 too (four tiles of 7, where three of 8 left one across two rows): 128
     *       channels of 28x28 1,384 -> 1,298 us, 64 -> 128 3x3/2 onto 28x28 826 -> 767; resnet18
     *       23,661 -> 23,323 us, at 2 threads 15,849 -> 15,125.</li>
     * </ul>
     */
    private static int run(int[] positions, int i, int step, int max) {
        int r = 1;
        while (r < max && positions[i + r] - positions[i] == r * step) {
            r++;
        }
        return r;
    }

    /** Panels [p0, p1) of B times rows [i0, i1) of A. */
    private static void range(int[] positions, int m, int[] offsets, float[] src, int sOff, float[] bp, int k, int n,
                              float[] c, int cOff, int ldc, int p0, int p1, int i0, int i1) {
        float[] edge = EDGE.get();
        for (int p = p0; p < p1; p++) {
            int j0 = p * NR;
            int nr = Math.min(NR, n - j0);
            int bIdx = p * k * NR;
            // a partial panel's tiles go through the scratch tile, then their nr columns into C
            float[] out = nr == NR ? c : edge;
            int i = i0;
            int step = 0;
            int left = 0; // outputs from i on at that step, as far as run() looked
            while (i < i1) {
                if (left <= 0) {
                    step = MR == 8 && i1 - i >= 7 ? positions[i + 1] - positions[i] : 0;
                    left = step == 1 || step == 2 ? run(positions, i, step, Math.min(RUN_LOOK, i1 - i)) : 1;
                    if (left == RUN_LOOK) {
                        left = RUN_LOOK - RUN_KEEP; // tiles of 8, then a look from there
                    }
                }
                // a run in tiles of 8 and of 7 that end with it where they can (28 = 4 x 7, 30 = 7 + 7
                // + 8 + 8): sevens first, as many as left % 8 is short of 8; else tiles across rows
                int sevens = (8 - left % 8) % 8;
                int tile = sevens > 0 && 7 * sevens <= left ? 7 : left >= 8 ? 8 : 0;
                int rows = tile > 0 ? tile : i1 - i >= MR ? MR : i1 - i >= 4 ? 4 : 1;
                int cIdx = nr == NR ? cOff + i * ldc + j0 : 0;
                int ld = nr == NR ? ldc : NR;
                int at = sOff + positions[i];
                if (tile == 8) {
                    if (step == 1) {
                        kernel8Step1(k, offsets, src, at, bp, bIdx, out, cIdx, ld);
                    } else {
                        kernel8Step2(k, offsets, src, at, bp, bIdx, out, cIdx, ld);
                    }
                } else if (tile == 7) {
                    if (step == 1) {
                        kernel7Step1(k, offsets, src, at, bp, bIdx, out, cIdx, ld);
                    } else {
                        kernel7Step2(k, offsets, src, at, bp, bIdx, out, cIdx, ld);
                    }
                } else if (rows == 8) {
                    kernel8(k, offsets, src, at, sOff + positions[i + 1], sOff + positions[i + 2],
                            sOff + positions[i + 3], sOff + positions[i + 4], sOff + positions[i + 5],
                            sOff + positions[i + 6], sOff + positions[i + 7], bp, bIdx, out, cIdx, ld);
                } else if (rows == 4) {
                    kernel4(k, offsets, src, at, sOff + positions[i + 1], sOff + positions[i + 2],
                            sOff + positions[i + 3], bp, bIdx, out, cIdx, ld);
                } else {
                    kernel1(k, offsets, src, at, bp, bIdx, out, cIdx);
                }
                if (nr < NR) {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(edge, r * NR, c, cOff + (i + r) * ldc + j0, nr);
                    }
                }
                i += rows;
                left -= rows;
            }
        }
    }

    /** Eight rows of A (source indices q0..q7) times one panel: 16 accumulators. */
    private static void kernel8(int k, int[] offsets, float[] src, int q0, int q1, int q2, int q3, int q4, int q5,
                                int q6, int q7, float[] bp, int bIdx, float[] c, int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = offsets[kk];
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, src[o + q0]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, src[o + q1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, src[o + q2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, src[o + q3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, src[o + q4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, src[o + q5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, src[o + q6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, src[o + q7]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + L);
        c70.intoArray(c, cIdx + 7 * ldc);
        c71.intoArray(c, cIdx + 7 * ldc + L);
    }

    /** kernel8 for rows at q0, q0 + 1, ..., q0 + 7. */
    private static void kernel8Step1(int k, int[] offsets, float[] src, int q0, float[] bp, int bIdx, float[] c,
                                     int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = offsets[kk] + q0;
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, src[o + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, src[o + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, src[o + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, src[o + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, src[o + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, src[o + 6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, src[o + 7]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + L);
        c70.intoArray(c, cIdx + 7 * ldc);
        c71.intoArray(c, cIdx + 7 * ldc + L);
    }

    /** kernel8 for rows at q0, q0 + 2, ..., q0 + 14. */
    private static void kernel8Step2(int k, int[] offsets, float[] src, int q0, float[] bp, int bIdx, float[] c,
                                     int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = offsets[kk] + q0;
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, src[o + 2]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, src[o + 4]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, src[o + 6]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, src[o + 8]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, src[o + 10]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, src[o + 12]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, src[o + 14]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + L);
        c70.intoArray(c, cIdx + 7 * ldc);
        c71.intoArray(c, cIdx + 7 * ldc + L);
    }

    /** Seven rows at q0, q0 + 1, ..., q0 + 6 times one panel: 14 accumulators. */
    private static void kernel7Step1(int k, int[] offsets, float[] src, int q0, float[] bp, int bIdx, float[] c,
                                     int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = offsets[kk] + q0;
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, src[o + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, src[o + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, src[o + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, src[o + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, src[o + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, src[o + 6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + L);
    }

    /** Seven rows at q0, q0 + 2, ..., q0 + 12 times one panel: 14 accumulators. */
    private static void kernel7Step2(int k, int[] offsets, float[] src, int q0, float[] bp, int bIdx, float[] c,
                                     int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = offsets[kk] + q0;
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, src[o]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, src[o + 2]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, src[o + 4]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, src[o + 6]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, src[o + 8]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, src[o + 10]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, src[o + 12]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc);
        c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc);
        c51.intoArray(c, cIdx + 5 * ldc + L);
        c60.intoArray(c, cIdx + 6 * ldc);
        c61.intoArray(c, cIdx + 6 * ldc + L);
    }

    /** Four rows of A times one panel. */
    private static void kernel4(int k, int[] offsets, float[] src, int q0, int q1, int q2, int q3, float[] bp,
                                int bIdx, float[] c, int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            int o = offsets[kk];
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, src[o + q0]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, src[o + q1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, src[o + q2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, src[o + q3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
        }
        c00.intoArray(c, cIdx);
        c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);
        c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc);
        c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc);
        c31.intoArray(c, cIdx + 3 * ldc + L);
    }

    /** One row of A times one panel, two k per turn: four accumulators against the FMA latency. */
    private static void kernel1(int k, int[] offsets, float[] src, int q0, float[] bp, int bIdx, float[] c, int cIdx) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S);
        int kk = 0;
        for (; kk + 1 < k; kk += 2) {
            FloatVector x = FloatVector.broadcast(S, src[offsets[kk] + q0]);
            c0 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx), c0);
            c1 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + L), c1);
            FloatVector y = FloatVector.broadcast(S, src[offsets[kk + 1] + q0]);
            d0 = y.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + NR), d0);
            d1 = y.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + NR + L), d1);
            bIdx += 2 * NR;
        }
        if (kk < k) {
            FloatVector x = FloatVector.broadcast(S, src[offsets[kk] + q0]);
            c0 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx), c0);
            c1 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + L), c1);
        }
        c0.add(d0).intoArray(c, cIdx);
        c1.add(d1).intoArray(c, cIdx + L);
    }
}
