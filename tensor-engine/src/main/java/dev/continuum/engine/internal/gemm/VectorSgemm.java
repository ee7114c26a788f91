package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Vector API: B packed into panels of two vectors' width, A packed per row strip,
 * cache blocking over k ({@value #KC}) and m ({@value #MC}), and a 6 x (2 vectors) register-tiled
 * micro-kernel of fused multiply-adds. Loaded reflectively by {@link Sgemm#get()} only when the
 * incubator module is present.
 */
public final class VectorSgemm extends Sgemm {
    public static final VectorSgemm INSTANCE = new VectorSgemm();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int MC = 96;
    /** Up to this many rows of A, an unpacked B is multiplied directly by {@link SmallRows}. */
    private static final int SMALL_M = 4;

    /** Per-thread packing buffers, grown on demand so steady-state calls allocate nothing. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0], new float[MR * 2 * L]});

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
        if (m <= SMALL_M && !transA) {
            if (scaleC(m, b.n, b.k, alpha, beta, c, cOff, ldc)) {
                int panels = (b.n + NR - 1) / NR;
                ctx.parallelFor(panels, Math.max(1, (int) (8192L / Math.max(1, b.k))), (p0, p1) ->
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
    public void multiplyPanels(PackedRows a, float[] bp, int bOff, int n, float[] c, int cOff, int ldc,
                               ExecContext ctx) {
        checkPanels(a, VectorPanels.MR, n, c, cOff, ldc);
        VectorPanels.multiply(a.data, a.m, a.k, bp, bOff, n, c, cOff, ldc, false, ctx);
    }

    private static void multiply(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] bp, float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        if (!scaleC(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        int panels = (n + NR - 1) / NR;
        int strips = (m + MR - 1) / MR;
        long flops = 2L * m * n * k;
        int threads = flops < 200_000 ? 1 : ctx.threads();
        if (panels >= strips || panels >= 2 * threads) {
            int grain = threads == 1 ? panels : 1;
            ctx.parallelFor(panels, grain, (p0, p1) ->
                    block(transA, 0, m, p0, p1, n, k, alpha, a, aOff, lda, bp, c, cOff, ldc));
        } else {
            int grain = threads == 1 ? strips : 1;
            ctx.parallelFor(strips, grain, (s0, s1) ->
                    block(transA, s0 * MR, Math.min(m, s1 * MR), 0, panels, n, k, alpha, a, aOff, lda, bp, c, cOff, ldc));
        }
    }

    /** Rows [i0, i1) times panels [p0, p1), blocked over k and m. */
    private static void block(boolean transA, int i0, int i1, int p0, int p1, int n, int k, float alpha, float[] a,
                              int aOff, int lda, float[] bp, float[] c, int cOff, int ldc) {
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < MC * KC) {
            scratch[0] = new float[MC * KC];
        }
        float[] ap = scratch[0];
        float[] edge = scratch[2];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int ib = i0; ib < i1; ib += MC) {
                int mc = Math.min(MC, i1 - ib);
                packA(transA, ib, mc, k0, kc, alpha, a, aOff, lda, ap);
                for (int p = p0; p < p1; p++) {
                    int j0 = p * NR;
                    int nr = Math.min(NR, n - j0);
                    int bOff = p * k * NR + k0 * NR;
                    for (int s = 0; s < mc; s += MR) {
                        int mr = Math.min(MR, mc - s);
                        int cRow = cOff + (ib + s) * ldc + j0;
                        if (mr == MR && nr == NR) {
                            kernel(kc, ap, s * kc, bp, bOff, c, cRow, ldc);
                        } else if (nr == NR) {
                            for (int r = 0; r < mr; r++) {
                                kernelRow(kc, ap, s * kc + r, bp, bOff, c, cRow + r * ldc);
                            }
                        } else {
                            java.util.Arrays.fill(edge, 0f);
                            kernel(kc, ap, s * kc, bp, bOff, edge, 0, NR);
                            for (int r = 0; r < mr; r++) {
                                for (int j = 0; j < nr; j++) {
                                    c[cRow + r * ldc + j] += edge[r * NR + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs alpha * A[ib:ib+mc, k0:k0+kc] as strips of MR rows interleaved per k, zero-padded. */
    private static void packA(boolean transA, int ib, int mc, int k0, int kc, float alpha, float[] a, int aOff, int lda,
                              float[] ap) {
        for (int s = 0; s < mc; s += MR) {
            int mr = Math.min(MR, mc - s);
            int base = s * kc;
            for (int r = 0; r < MR; r++) {
                if (r >= mr) {
                    for (int kk = 0; kk < kc; kk++) {
                        ap[base + kk * MR + r] = 0f;
                    }
                    continue;
                }
                int row = ib + s + r;
                if (!transA) {
                    int src = aOff + row * lda + k0;
                    for (int kk = 0; kk < kc; kk++) {
                        ap[base + kk * MR + r] = alpha * a[src + kk];
                    }
                } else {
                    for (int kk = 0; kk < kc; kk++) {
                        ap[base + kk * MR + r] = alpha * a[aOff + (k0 + kk) * lda + row];
                    }
                }
            }
        }
    }

    /** C[6 x NR] += Apack[6 x kc] * Bpack[kc x NR], accumulating in registers. */
    private static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc) {
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
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(jdk.incubator.vector.VectorOperators.FMA, b1, c51);
            aIdx += MR;
        }
        accumulate(c00, c01, c, cIdx);
        accumulate(c10, c11, c, cIdx + ldc);
        accumulate(c20, c21, c, cIdx + 2 * ldc);
        accumulate(c30, c31, c, cIdx + 3 * ldc);
        accumulate(c40, c41, c, cIdx + 4 * ldc);
        accumulate(c50, c51, c, cIdx + 5 * ldc);
    }

    /** Rows of an unpacked A times panels [p0, p1) of a packed B; each panel streams once per row. */
    private static void smallPacked(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] bp,
                                    float[] c, int cOff, int ldc, int p0, int p1) {
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

    /** C[1 x NR] += A row (stride MR in the packed strip) * Bpack[kc x NR], four k-steps in flight. */
    private static void kernelRow(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx) {
        FloatVector lo0 = FloatVector.zero(S);
        FloatVector hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S);
        FloatVector hi1 = FloatVector.zero(S);
        int kk = 0;
        for (; kk + 1 < kc; kk += 2) {
            FloatVector x0 = FloatVector.broadcast(S, ap[aIdx]);
            FloatVector x1 = FloatVector.broadcast(S, ap[aIdx + MR]);
            lo0 = x0.fma(FloatVector.fromArray(S, bp, bIdx), lo0);
            hi0 = x0.fma(FloatVector.fromArray(S, bp, bIdx + L), hi0);
            lo1 = x1.fma(FloatVector.fromArray(S, bp, bIdx + NR), lo1);
            hi1 = x1.fma(FloatVector.fromArray(S, bp, bIdx + NR + L), hi1);
            aIdx += 2 * MR;
            bIdx += 2 * NR;
        }
        if (kk < kc) {
            FloatVector x0 = FloatVector.broadcast(S, ap[aIdx]);
            lo0 = x0.fma(FloatVector.fromArray(S, bp, bIdx), lo0);
            hi0 = x0.fma(FloatVector.fromArray(S, bp, bIdx + L), hi0);
        }
        accumulate(lo0.add(lo1), hi0.add(hi1), c, cIdx);
    }

    private static void accumulate(FloatVector lo, FloatVector hi, float[] c, int idx) {
        lo.add(FloatVector.fromArray(S, c, idx)).intoArray(c, idx);
        hi.add(FloatVector.fromArray(S, c, idx + L)).intoArray(c, idx + L);
    }
}
