package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Vector API: B packed into panels of two vectors' width, A (times alpha) packed into
 * strips of {@link VectorPanels#MR} rows (8 on AVX-512, 6 on AVX2), and the product of the packed
 * operands by {@link VectorPanels} (cache blocking over k and strips, an MR x (2 vectors)
 * register-tiled micro-kernel of fused multiply-adds).
 * Up to {@value #SMALL_M} rows of A skip the packing ({@link SmallRows}, or one pass over prepacked
 * B panels). Loaded reflectively by {@link Sgemm#get()} only when the incubator module is present.
 */
public final class VectorSgemm extends Sgemm {
    public static final VectorSgemm INSTANCE = new VectorSgemm();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = VectorPanels.MR;
    private static final int NR = VectorPanels.NR;
    /** Up to this many rows of A, an unpacked B is multiplied directly by {@link SmallRows}. */
    private static final int SMALL_M = 4;
    /**
     * Up to this many rows of A, a prepacked B is multiplied row by row ({@link #smallPacked}): one
     * row reads B at full bandwidth with two panels in flight; from two rows on the strip kernels'
     * 2- and 4-row tiles, which load each vector of B once for all rows, are faster (4 x 336 x 112:
     * 10.2-10.6 us row by row).
     */
    private static final int SMALL_PACKED_M = 1;

    /** Per-thread packing buffers, grown on demand so steady-state calls allocate nothing. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[NR]});

    private VectorSgemm() {
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        if (m == 0 || n == 0) {
            return;
        }
        if (m <= SMALL_M && !transA) {
            // a few rows (batch-1 layers): packing B would cost as much as the product itself
            if (scaleC(m, n, k, alpha, beta, c, cOff, ldc)) {
                SmallRows.multiply(transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, ctx);
            }
            return;
        }
        // B is packed into the calling thread's scratch; workers only read it
        float[][] scratch = SCRATCH.get();
        int need = (n + NR - 1) / NR * k * NR;
        if (scratch[1].length < need) {
            scratch[1] = new float[need];
        }
        float[] packed = scratch[1];
        PackedMatrix.packInto(transB, k, n, b, bOff, ldb, NR, packed, 0);
        multiply(transA, m, n, k, alpha, a, aOff, lda, packed, beta, c, cOff, ldc, ctx);
    }

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedMatrix.pack(transB, k, n, b, bOff, ldb, NR);
    }

    @Override
    public void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                            float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        if (b.nr != NR) {
            throw new IllegalArgumentException("matrix was packed for panels of " + b.nr + ", this kernel uses " + NR);
        }
        if (m == 0 || b.n == 0) {
            return;
        }
        if (m <= SMALL_PACKED_M && !transA) {
            if (scaleC(m, b.n, b.k, alpha, beta, c, cOff, ldc)) {
                int panels = (b.n + NR - 1) / NR;
                // one row streams B from memory: a float of B costs about as long as 16 flops, so the
                // 5 MB classifier of mobilenet_v2 splits over the threads (each adds a stream)
                ctx.parallelForWork(panels, 16L * NR * Math.max(1, b.k), (p0, p1) ->
                        smallPacked(m, b.n, b.k, alpha, a, aOff, lda, b.data, c, cOff, ldc, p0, p1));
            }
            return;
        }
        multiply(transA, m, b.n, b.k, alpha, a, aOff, lda, b.data, beta, c, cOff, ldc, ctx);
    }

    @Override
    public int panelWidth() {
        return VectorPanels.NR;
    }

    @Override
    public PackedRows packRows(int m, int k, float[] a, int aOff, int lda) {
        return PackedRows.pack(m, k, a, aOff, lda, VectorPanels.MR);
    }

    @Override
    public int stripHeight() {
        return MR;
    }

    @Override
    public void multiplyPanels(PackedRows a, float[] bp, int bOff, int n, float[] c, int cOff, int ldc,
                               ExecContext ctx) {
        checkPanels(a, VectorPanels.MR, n, c, cOff, ldc);
        VectorPanels.multiply(a.data, a.m, a.k, bp, bOff, n, c, cOff, ldc, false, ctx);
    }

    @Override
    public void multiplyTaps(PackedRows a, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff, int ldc,
                             float[] bias, int biasOff, float lo, float hi, ExecContext ctx) {
        checkTaps(a, VectorPanels.MR, panelWidth(), offsets, src, sOff, n, c, cOff, ldc, bias, biasOff);
        VectorTaps.multiply(a, offsets, src, sOff, n, c, cOff, ldc, bias, biasOff, lo, hi, ctx);
    }

    @Override
    public void multiplyTapsRows(PackedRows a, int[] offsets, float[] src, int sOff, int rows, int cols, int srcRow,
                                 float[] c, int cOff, int ldc, int dstRow, float[] bias, int biasOff, float lo,
                                 float hi) {
        checkTapsRows(a, offsets, src, sOff, rows, cols, srcRow, c, cOff, ldc, dstRow, bias, biasOff);
        VectorTaps.multiplyRows(a, offsets, src, sOff, rows, cols, srcRow, c, cOff, ldc, dstRow, bias, biasOff, lo,
                hi);
    }

    /** Rows of a vector or more, as whole vectors (the last overlapping the one before), two to a tile. */
    @Override
    public int tapsRowsWidth(int cols) {
        return VectorTaps.rowsWidth(cols);
    }

    @Override
    public void multiplyGathered(int[] positions, int m, int[] offsets, float[] src, int sOff, PackedMatrix b,
                                 float[] c, int cOff, int ldc, ExecContext ctx) {
        long span = checkGathered(positions, m, offsets, src, sOff, b, NR, c, cOff, ldc);
        VectorGathered.multiply(positions, m, offsets, src, sOff, span, b.data, b.k, b.n, c, cOff, ldc, ctx);
    }

    /**
     * Packs alpha * op(A) whole into the calling thread's scratch and hands both packed operands to
     * {@link VectorPanels}: with beta 0 the product's first k-block stores C (no pass over C first),
     * with beta 1 it adds to C; any other beta scales C first.
     */
    private static void multiply(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] bp, float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        boolean accumulate = beta != 0f;
        if (k == 0 || alpha == 0f || accumulate && beta != 1f) {
            if (!scaleC(m, n, k, alpha, beta, c, cOff, ldc)) {
                return;
            }
        }
        float[][] scratch = SCRATCH.get();
        int need = PackedRows.size(m, k, MR);
        if (scratch[0].length < need) {
            scratch[0] = new float[need];
        }
        float[] ap = scratch[0];
        PackedRows.packInto(transA, m, k, alpha, a, aOff, lda, MR, ap);
        VectorPanels.multiply(ap, m, k, bp, 0, n, c, cOff, ldc, accumulate, ctx);
    }

    /** Rows of an unpacked A times panels [p0, p1) of a packed B; each panel streams once per row. */
    private static void smallPacked(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] bp,
                                    float[] c, int cOff, int ldc, int p0, int p1) {
        if (m == 1) {
            // one row (a batch-1 layer): two panels at a time, so that two streams of B are in flight
            // (W read from memory at 36-39 GB/s instead of 12-15 for a 1280x1000 classifier)
            for (; p0 + 1 < p1 && (p0 + 2) * NR <= n; p0 += 2) {
                panelPair(k, alpha, a, aOff, bp, p0 * k * NR, c, cOff + p0 * NR);
            }
        }
        for (int p = p0; p < p1; p++) {
            int j0 = p * NR;
            int nr = Math.min(NR, n - j0);
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * lda;
                int bIdx = p * k * NR;
                FloatVector lo0 = FloatVector.zero(S);
                FloatVector hi0 = FloatVector.zero(S);
                FloatVector lo1 = FloatVector.zero(S);
                FloatVector hi1 = FloatVector.zero(S);
                int kk = 0;
                for (; kk + 1 < k; kk += 2, bIdx += 2 * NR) {
                    FloatVector x0 = FloatVector.broadcast(S, a[aRow + kk]);
                    FloatVector x1 = FloatVector.broadcast(S, a[aRow + kk + 1]);
                    lo0 = x0.fma(FloatVector.fromArray(S, bp, bIdx), lo0);
                    hi0 = x0.fma(FloatVector.fromArray(S, bp, bIdx + L), hi0);
                    lo1 = x1.fma(FloatVector.fromArray(S, bp, bIdx + NR), lo1);
                    hi1 = x1.fma(FloatVector.fromArray(S, bp, bIdx + NR + L), hi1);
                }
                if (kk < k) {
                    FloatVector x0 = FloatVector.broadcast(S, a[aRow + kk]);
                    lo0 = x0.fma(FloatVector.fromArray(S, bp, bIdx), lo0);
                    hi0 = x0.fma(FloatVector.fromArray(S, bp, bIdx + L), hi0);
                }
                FloatVector lo = lo0.add(lo1).mul(alpha);
                FloatVector hi = hi0.add(hi1).mul(alpha);
                int cRow = cOff + i * ldc + j0;
                if (nr == NR) {
                    accumulate(lo, hi, c, cRow);
                } else {
                    float[] tmp = SCRATCH.get()[2];
                    lo.intoArray(tmp, 0);
                    hi.intoArray(tmp, L);
                    for (int j = 0; j < nr; j++) {
                        c[cRow + j] += tmp[j];
                    }
                }
            }
        }
    }

    /** c[cIdx, cIdx + 2 NR) += alpha * a[aOff, aOff + k) times the two full panels of B from bIdx on. */
    private static void panelPair(int k, float alpha, float[] a, int aOff, float[] bp, int bIdx, float[] c, int cIdx) {
        int b1 = bIdx + k * NR;
        FloatVector lo0 = FloatVector.zero(S);
        FloatVector hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S);
        FloatVector hi1 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + kk]);
            lo0 = x.fma(FloatVector.fromArray(S, bp, bIdx + kk * NR), lo0);
            hi0 = x.fma(FloatVector.fromArray(S, bp, bIdx + kk * NR + L), hi0);
            lo1 = x.fma(FloatVector.fromArray(S, bp, b1 + kk * NR), lo1);
            hi1 = x.fma(FloatVector.fromArray(S, bp, b1 + kk * NR + L), hi1);
        }
        accumulate(lo0.mul(alpha), hi0.mul(alpha), c, cIdx);
        accumulate(lo1.mul(alpha), hi1.mul(alpha), c, cIdx + NR);
    }

    private static void accumulate(FloatVector lo, FloatVector hi, float[] c, int idx) {
        lo.add(FloatVector.fromArray(S, c, idx)).intoArray(c, idx);
        hi.add(FloatVector.fromArray(S, c, idx + L)).intoArray(c, idx + L);
    }
}
