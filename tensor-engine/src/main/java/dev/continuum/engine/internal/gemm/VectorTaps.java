package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Sgemm#multiplyTaps} on the Vector API: the register tile of {@link VectorPanels}
 * ({@link VectorPanels#MR} rows of A times two vectors of positions), with B's two vectors per
 * k read straight from the source planes at each tap's offset instead of from packed panels. A
 * convolution thus multiplies without im2col: the k loop runs over (channel, tap), and the
 * accumulators stay in registers for the whole of K (no k-blocks, no pass over C before the store),
 * so a row's bias and clamp go into the one store of each tile. {@link #multiplyRows} takes the
 * positions as rows (a convolution's output rows) and stores each tile straight into them.
 */
final class VectorTaps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = VectorPanels.MR;
    private static final int NR = VectorPanels.NR;

    /** Floats of A per block of strips (512 KB): the block stays in L2 while the panels pass. */
    private static final int STRIP_BLOCK_FLOATS = 1 << 17;

    /**
     * Most floats of sources (K x positions) a range may span and still pass them once per strip
     * (256 KB, a quarter of a 1 MB L2). A cold C, alone with 32 MB written between calls (AMD EPYC
     * family 25, 1 thread): 16 -> 96 on 112x112 929-977 -> 662-705 us, 8 -> 48 on 48x48 70-80 -> 41-42,
     * 24 -> 144 on 56x56 426-454 -> 327-343; with C warm even or 2-4 % faster. 144 -> 24 on 56x56
     * (590 KB of sources) lost 3-5 % warm, so it stays panel by panel.
     */
    private static final long STRIPS_OUTER_MAX_FLOATS = 1 << 16;

    private static final float[] ZEROS = new float[MR];

    /** An edge tile: MR rows of up to three vectors ({@link #tile3}). */
    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[MR * 3 * L]);

    private VectorTaps() {
    }

    static void multiply(PackedRows a, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff, int ldc,
                         float[] bias, int biasOff, float lo, float hi, ExecContext ctx) {
        int m = a.m;
        if (m == 0 || n == 0) {
            return;
        }
        int strips = (m + MR - 1) / MR;
        int panels = (n + NR - 1) / NR;
        if (!ctx.worthSplitting(2L * m * n * a.k)) {
            range(a.data, m, offsets, src, sOff, n, c, cOff, ldc, bias, biasOff, lo, hi, 0, strips, 0, panels);
        } else if (strips >= panels) {
            // as VectorPanels (A/B against fixed halves at 2 threads: resnet18 -1.1, -0.3 %, mobilenet_v2
            // -0.8, -0.3 %, mobilenet_small -0.5 %, resnet_small -0.2 %)
            ctx.parallelRanges(strips, (s0, s1) -> range(a.data, m, offsets, src, sOff, n, c, cOff, ldc, bias, biasOff,
                    lo, hi, s0, s1, 0, panels));
        } else {
            ctx.parallelRanges(panels, (p0, p1) -> range(a.data, m, offsets, src, sOff, n, c, cOff, ldc, bias, biasOff,
                    lo, hi, 0, strips, p0, p1));
        }
    }

    /**
     * Strips [s0, s1) of A times panels [p0, p1) of positions: strips in blocks whose A stays in L2
     * (deep layers have megabytes of W). Within a block, when the range's sources fit in
     * {@link #STRIPS_OUTER_MAX_FLOATS}, one strip at a time crosses every panel, so C is written as
     * eight rows at a time, front to back, where panel by panel every strip's eight rows are open at
     * once (96 rows for a 16 -> 96 layer): when C is cold, as a layer's output is in a model, its
     * lines then come in as streams. Otherwise one panel at a time passes its strips, its sources
     * staying in L1.
     */
    private static void range(float[] ad, int m, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff,
                              int ldc, float[] bias, int biasOff, float lo, float hi, int s0, int s1, int p0, int p1) {
        float[] edge = EDGE.get();
        int k = offsets.length;
        int blockStrips = Math.max(1, Math.min(16, STRIP_BLOCK_FLOATS / (k * MR)));
        float[] b = bias != null ? bias : ZEROS;
        boolean stripsOuter = (long) k * (p1 - p0) * NR <= STRIPS_OUTER_MAX_FLOATS;
        for (int sb = s0; sb < s1; sb += blockStrips) {
            int se = Math.min(s1, sb + blockStrips);
            if (stripsOuter) {
                for (int s = sb; s < se; s++) {
                    for (int p = p0; p < p1; p++) {
                        tile(ad, m, offsets, src, sOff, n, c, cOff, ldc, bias, b, biasOff, lo, hi, edge, s, p);
                    }
                }
            } else {
                for (int p = p0; p < p1; p++) {
                    for (int s = sb; s < se; s++) {
                        tile(ad, m, offsets, src, sOff, n, c, cOff, ldc, bias, b, biasOff, lo, hi, edge, s, p);
                    }
                }
            }
        }
    }

    /** Strip s of A times panel p of positions into C; an edge tile through {@code edge}. */
    private static void tile(float[] ad, int m, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff,
                             int ldc, float[] bias, float[] b, int biasOff, float lo, float hi, float[] edge, int s,
                             int p) {
        int j0 = p * NR;
        int nr = Math.min(NR, n - j0);
        if (nr == NR) {
            tile2(ad, m, offsets, src, sOff + j0, L, c, cOff + j0, L, ldc, bias, b, biasOff, lo, hi, edge, s);
            return;
        }
        kernel(offsets, ad, s * offsets.length * MR, src, sOff + j0, L, edge, 0, L, NR, ZEROS, 0,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        copyEdge(edge, 2, Math.min(MR, m - s * MR), nr, c, cOff + s * MR * ldc + j0, ldc, L, 0, bias, biasOff + s * MR,
                lo, hi);
    }

    /**
     * Strip s of A times the NR positions whose two vectors sit at sIdx and sIdx + bStep in B, stored
     * at cIdx and cIdx + cStep in each row of C; a strip short of MR rows through {@code edge}.
     */
    private static void tile2(float[] ad, int m, int[] offsets, float[] src, int sIdx, int bStep, float[] c,
                              int cOff, int cStep, int ldc, float[] bias, float[] b, int biasOff, float lo, float hi,
                              float[] edge, int s) {
        int mr = Math.min(MR, m - s * MR);
        int aIdx = s * offsets.length * MR;
        int cIdx = cOff + s * MR * ldc;
        if (mr == MR) {
            kernel(offsets, ad, aIdx, src, sIdx, bStep, c, cIdx, cStep, ldc, b, bias != null ? biasOff + s * MR : 0,
                    lo, hi);
            return;
        }
        // the bias past the last row is not there to read: the edge tile takes it after
        kernel(offsets, ad, aIdx, src, sIdx, bStep, edge, 0, L, NR, ZEROS, 0, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY);
        copyEdge(edge, 2, mr, NR, c, cIdx, ldc, cStep, 0, bias, biasOff + s * MR, lo, hi);
    }

    /**
     * The first mr rows of an edge tile (rows of {@code vectors} vectors) into C at cIdx, row r at
     * {@code + r * ldc}: the row's first n floats, vector v of them at {@code + 0}, {@code + cStep}
     * or {@code + cStep2}, each with its row's bias (bias null: none) and clamped.
     */
    private static void copyEdge(float[] edge, int vectors, int mr, int n, float[] c, int cIdx, int ldc, int cStep,
                                 int cStep2, float[] bias, int biasIdx, float lo, float hi) {
        for (int r = 0; r < mr; r++) {
            float rowBias = bias != null ? bias[biasIdx + r] : 0f;
            for (int i = 0; i < n; i++) {
                int v = i / L;
                int to = cIdx + r * ldc + (v == 0 ? 0 : v == 1 ? cStep : cStep2) + i % L;
                c[to] = Math.min(Math.max(edge[r * vectors * L + i] + rowBias, lo), hi);
            }
        }
    }

    /**
     * {@link Sgemm#multiplyTapsRows} on one thread, for rows of a vector or more ({@link #rowsWidth}):
     * each row as vectors of positions at 0, L, 2L, ..., the last one ending with the row (it
     * overlaps the one before when the row is not whole vectors, and stores the same values there);
     * the rows' vectors taken two to a tile in order, a tile's second vector where it lies in B and
     * in C (the row's next, or the next row's first). An odd count ends with a tile of three
     * ({@link #kernel8x3}) on the 8-row strips; on the 6-row ones its last vector goes alone, the
     * same vector twice, stored twice. Only the rows' own positions are stored, in place: none of the
     * flattened layout's throw-away columns, no copy out of a scratch. resnet_small's 7x7/2 stem (rows
     * of 32) 62.7 -> 55.4 us in-model with the odd-K fix (the kernel's own part of it: 87 -> 105
     * GFLOP/s), mobilenet_small's 3x3/2 stem (rows of 48, 49 flattened) 44-48 -> 36-39 us.
     */
    static void multiplyRows(PackedRows a, int[] offsets, float[] src, int sOff, int rows, int cols, int srcRow,
                             float[] c, int cOff, int ldc, int dstRow, float[] bias, int biasOff, float lo, float hi) {
        int m = a.m;
        float[] edge = EDGE.get();
        float[] b = bias != null ? bias : ZEROS;
        int strips = (m + MR - 1) / MR;
        int perRow = (cols + L - 1) / L;
        int vectors = rows * perRow;
        // an odd count of vectors ends with a tile of three (24 accumulators: the 8-row strips only),
        // not a pair and a vector computed twice
        int pairs = MR == 8 && vectors % 2 == 1 && vectors >= 3 ? vectors - 3 : vectors;
        for (int s = 0; s < strips; s++) {
            for (int v = 0; v < pairs; v += 2) {
                int b0 = rowsAt(v, perRow, cols, srcRow);
                int c0 = rowsAt(v, perRow, cols, dstRow);
                boolean pair = v + 1 < vectors;
                int bStep = pair ? rowsAt(v + 1, perRow, cols, srcRow) - b0 : 0;
                int cStep = pair ? rowsAt(v + 1, perRow, cols, dstRow) - c0 : 0;
                tile2(a.data, m, offsets, src, sOff + b0, bStep, c, cOff + c0, cStep, ldc, bias, b, biasOff, lo, hi,
                        edge, s);
            }
            if (pairs < vectors) {
                int b0 = rowsAt(pairs, perRow, cols, srcRow);
                int c0 = rowsAt(pairs, perRow, cols, dstRow);
                tile3(a.data, m, offsets, src, sOff + b0, rowsAt(pairs + 1, perRow, cols, srcRow) - b0,
                        rowsAt(pairs + 2, perRow, cols, srcRow) - b0, c, cOff + c0,
                        rowsAt(pairs + 1, perRow, cols, dstRow) - c0, rowsAt(pairs + 2, perRow, cols, dstRow) - c0, ldc,
                        bias, b, biasOff, lo, hi, edge, s);
            }
        }
    }

    /** Where vector v of {@link #multiplyRows}' rows starts, its rows {@code stride} apart. */
    private static int rowsAt(int v, int perRow, int cols, int stride) {
        return v / perRow * stride + Math.min(v % perRow * L, cols - L);
    }

    /**
     * {@link #tile2} of three vectors of positions, at sIdx, sIdx + bStep and sIdx + bStep2 in B and
     * cIdx, cIdx + cStep and cIdx + cStep2 in each row of C.
     */
    private static void tile3(float[] ad, int m, int[] offsets, float[] src, int sIdx, int bStep, int bStep2,
                              float[] c, int cOff, int cStep, int cStep2, int ldc, float[] bias, float[] b, int biasOff,
                              float lo, float hi, float[] edge, int s) {
        int mr = Math.min(MR, m - s * MR);
        int aIdx = s * offsets.length * MR;
        int cIdx = cOff + s * MR * ldc;
        if (mr == MR) {
            kernel8x3(offsets, ad, aIdx, src, sIdx, bStep, bStep2, c, cIdx, cStep, cStep2, ldc, b,
                    bias != null ? biasOff + s * MR : 0, lo, hi);
            return;
        }
        // a short strip: its rows through the edge tile, three vectors each
        kernel8x3(offsets, ad, aIdx, src, sIdx, bStep, bStep2, edge, 0, L, 2 * L, 3 * L, ZEROS, 0,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        copyEdge(edge, 3, mr, 3 * L, c, cIdx, ldc, cStep, cStep2, bias, biasOff + s * MR, lo, hi);
    }

    /** Positions {@link #multiplyRows} computes per row of cols: whole vectors; -1 below one vector. */
    static int rowsWidth(int cols) {
        return cols >= L ? (cols + L - 1) / L * L : -1;
    }

    /**
     * The tile at B's sIdx and C's cIdx: its second vector of positions at sIdx + bStep in B and cIdx +
     * cStep in C (L and L for a run of {@link #NR} positions, a row apart for two rows of L).
     */
    private static void kernel(int[] offsets, float[] ap, int aIdx, float[] src, int sIdx, int bStep, float[] c,
                               int cIdx, int cStep, int ldc, float[] bias, int biasIdx, float lo, float hi) {
        if (MR == 8) {
            kernel8(offsets, ap, aIdx, src, sIdx, bStep, c, cIdx, cStep, ldc, bias, biasIdx, lo, hi);
        } else {
            kernel6(offsets, ap, aIdx, src, sIdx, bStep, c, cIdx, cStep, ldc, bias, biasIdx, lo, hi);
        }
    }

    /** C[6 x NR] = A[6 x k] * B, B's row kk read at src[sIdx + offsets[kk]] and src[sIdx + offsets[kk] + bStep]. */
    private static void kernel6(int[] offsets, float[] ap, int aIdx, float[] src, int sIdx, int bStep, float[] c,
                                int cIdx, int cStep, int ldc, float[] bias, int biasIdx, float lo, float hi) {
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
        for (int kk = 0; kk < offsets.length; kk++) {
            int bIdx = sIdx + offsets[kk];
            FloatVector b0 = FloatVector.fromArray(S, src, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, src, bIdx + bStep);
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            aIdx += 6;
        }
        // bias and clamp written out here, not in a helper: vectors passed to a method C2 does not
        // inline are boxed (a helper here made resnet_small 6x slower)
        FloatVector b = FloatVector.broadcast(S, bias[biasIdx]);
        c00.add(b).max(lo).min(hi).intoArray(c, cIdx);
        c01.add(b).max(lo).min(hi).intoArray(c, cIdx + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 1]);
        c10.add(b).max(lo).min(hi).intoArray(c, cIdx + ldc);
        c11.add(b).max(lo).min(hi).intoArray(c, cIdx + ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 2]);
        c20.add(b).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc);
        c21.add(b).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 3]);
        c30.add(b).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc);
        c31.add(b).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 4]);
        c40.add(b).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc);
        c41.add(b).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 5]);
        c50.add(b).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc);
        c51.add(b).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc + cStep);
    }

    /** {@link #kernel6} with eight rows, for the 32 vector registers of AVX-512. */
    private static void kernel8(int[] offsets, float[] ap, int aIdx, float[] src, int sIdx, int bStep, float[] c,
                                int cIdx, int cStep, int ldc, float[] bias, int biasIdx, float lo, float hi) {
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
        // two k per iteration: each k's loads hang on its offset, and one k per turn left the kernel
        // at about 100 GFLOP/s on the Intel Xeon machine, where the same tile over packed panels runs at
        // 175-180; two per turn run 133-147 (64 -> 64 channels on 56x56, alone: 2,272 -> 1,576 us).
        // The 6-row kernel (8 lanes) gained nothing from it (47-49 GFLOP/s either way)
        int k = offsets.length;
        int kk = 0;
        for (; kk + 1 < k; kk += 2) {
            int i0 = sIdx + offsets[kk];
            int i1 = sIdx + offsets[kk + 1];
            FloatVector b0 = FloatVector.fromArray(S, src, i0);
            FloatVector b1 = FloatVector.fromArray(S, src, i0 + bStep);
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
            b0 = FloatVector.fromArray(S, src, i1);
            b1 = FloatVector.fromArray(S, src, i1 + bStep);
            x = FloatVector.broadcast(S, ap[aIdx + 8]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 9]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 10]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 11]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 12]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 13]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, ap[aIdx + 14]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, ap[aIdx + 15]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
            aIdx += 16;
        }
        // K odd: its last k alone, in an if and not a loop: with a second loop after the pairs C2's
        // code for the pairs ran 15-25 % slower (3 -> 16 channels 7x7/2 onto 32x32, K = 147: 87 -> 105
        // GFLOP/s; 3x3/2 onto 112x112, K = 27: 66 -> 78; even K unchanged at 103-111)
        if (kk < k) {
            int bIdx = sIdx + offsets[kk];
            FloatVector b0 = FloatVector.fromArray(S, src, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, src, bIdx + bStep);
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
            aIdx += 8;
        }
        // bias and clamp written out here, not in a helper: vectors passed to a method C2 does not
        // inline are boxed (a helper here made resnet_small 6x slower)
        FloatVector b = FloatVector.broadcast(S, bias[biasIdx]);
        c00.add(b).max(lo).min(hi).intoArray(c, cIdx);
        c01.add(b).max(lo).min(hi).intoArray(c, cIdx + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 1]);
        c10.add(b).max(lo).min(hi).intoArray(c, cIdx + ldc);
        c11.add(b).max(lo).min(hi).intoArray(c, cIdx + ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 2]);
        c20.add(b).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc);
        c21.add(b).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 3]);
        c30.add(b).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc);
        c31.add(b).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 4]);
        c40.add(b).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc);
        c41.add(b).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 5]);
        c50.add(b).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc);
        c51.add(b).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 6]);
        c60.add(b).max(lo).min(hi).intoArray(c, cIdx + 6 * ldc);
        c61.add(b).max(lo).min(hi).intoArray(c, cIdx + 6 * ldc + cStep);
        b = FloatVector.broadcast(S, bias[biasIdx + 7]);
        c70.add(b).max(lo).min(hi).intoArray(c, cIdx + 7 * ldc);
        c71.add(b).max(lo).min(hi).intoArray(c, cIdx + 7 * ldc + cStep);
    }

    /**
     * C[8 x 3L] = A[8 x k] * B, B's three vectors of row kk at src[sIdx + offsets[kk]], + bStep and
     * + bStep2, C's at cIdx, + cStep and + cStep2: 24 accumulators, three loads and eight broadcasts
     * per k, the bias and clamp in the stores.
     */
    private static void kernel8x3(int[] offsets, float[] ap, int aIdx, float[] src, int sIdx, int bStep, int bStep2,
                                  float[] c, int cIdx, int cStep, int cStep2, int ldc, float[] bias, int biasIdx,
                                  float lo, float hi) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        FloatVector c72 = FloatVector.zero(S);
        for (int kk = 0; kk < offsets.length; kk++) {
            int i0 = sIdx + offsets[kk];
            FloatVector b0 = FloatVector.fromArray(S, src, i0);
            FloatVector b1 = FloatVector.fromArray(S, src, i0 + bStep);
            FloatVector b2 = FloatVector.fromArray(S, src, i0 + bStep2);
            FloatVector x0 = FloatVector.broadcast(S, ap[aIdx + 0]);
            c00 = x0.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x0.lanewise(VectorOperators.FMA, b1, c01);
            c02 = x0.lanewise(VectorOperators.FMA, b2, c02);
            FloatVector x1 = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x1.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x1.lanewise(VectorOperators.FMA, b1, c11);
            c12 = x1.lanewise(VectorOperators.FMA, b2, c12);
            FloatVector x2 = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x2.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x2.lanewise(VectorOperators.FMA, b1, c21);
            c22 = x2.lanewise(VectorOperators.FMA, b2, c22);
            FloatVector x3 = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x3.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x3.lanewise(VectorOperators.FMA, b1, c31);
            c32 = x3.lanewise(VectorOperators.FMA, b2, c32);
            FloatVector x4 = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x4.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x4.lanewise(VectorOperators.FMA, b1, c41);
            c42 = x4.lanewise(VectorOperators.FMA, b2, c42);
            FloatVector x5 = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x5.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x5.lanewise(VectorOperators.FMA, b1, c51);
            c52 = x5.lanewise(VectorOperators.FMA, b2, c52);
            FloatVector x6 = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = x6.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x6.lanewise(VectorOperators.FMA, b1, c61);
            c62 = x6.lanewise(VectorOperators.FMA, b2, c62);
            FloatVector x7 = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = x7.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x7.lanewise(VectorOperators.FMA, b1, c71);
            c72 = x7.lanewise(VectorOperators.FMA, b2, c72);
            aIdx += 8;
        }
        // written out, not in a helper: see kernel6
        FloatVector b0 = FloatVector.broadcast(S, bias[biasIdx + 0]);
        c00.add(b0).max(lo).min(hi).intoArray(c, cIdx);
        c01.add(b0).max(lo).min(hi).intoArray(c, cIdx + cStep);
        c02.add(b0).max(lo).min(hi).intoArray(c, cIdx + cStep2);
        FloatVector b1 = FloatVector.broadcast(S, bias[biasIdx + 1]);
        c10.add(b1).max(lo).min(hi).intoArray(c, cIdx + ldc);
        c11.add(b1).max(lo).min(hi).intoArray(c, cIdx + ldc + cStep);
        c12.add(b1).max(lo).min(hi).intoArray(c, cIdx + ldc + cStep2);
        FloatVector b2 = FloatVector.broadcast(S, bias[biasIdx + 2]);
        c20.add(b2).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc);
        c21.add(b2).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc + cStep);
        c22.add(b2).max(lo).min(hi).intoArray(c, cIdx + 2 * ldc + cStep2);
        FloatVector b3 = FloatVector.broadcast(S, bias[biasIdx + 3]);
        c30.add(b3).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc);
        c31.add(b3).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc + cStep);
        c32.add(b3).max(lo).min(hi).intoArray(c, cIdx + 3 * ldc + cStep2);
        FloatVector b4 = FloatVector.broadcast(S, bias[biasIdx + 4]);
        c40.add(b4).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc);
        c41.add(b4).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc + cStep);
        c42.add(b4).max(lo).min(hi).intoArray(c, cIdx + 4 * ldc + cStep2);
        FloatVector b5 = FloatVector.broadcast(S, bias[biasIdx + 5]);
        c50.add(b5).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc);
        c51.add(b5).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc + cStep);
        c52.add(b5).max(lo).min(hi).intoArray(c, cIdx + 5 * ldc + cStep2);
        FloatVector b6 = FloatVector.broadcast(S, bias[biasIdx + 6]);
        c60.add(b6).max(lo).min(hi).intoArray(c, cIdx + 6 * ldc);
        c61.add(b6).max(lo).min(hi).intoArray(c, cIdx + 6 * ldc + cStep);
        c62.add(b6).max(lo).min(hi).intoArray(c, cIdx + 6 * ldc + cStep2);
        FloatVector b7 = FloatVector.broadcast(S, bias[biasIdx + 7]);
        c70.add(b7).max(lo).min(hi).intoArray(c, cIdx + 7 * ldc);
        c71.add(b7).max(lo).min(hi).intoArray(c, cIdx + 7 * ldc + cStep);
        c72.add(b7).max(lo).min(hi).intoArray(c, cIdx + 7 * ldc + cStep2);
    }
}
