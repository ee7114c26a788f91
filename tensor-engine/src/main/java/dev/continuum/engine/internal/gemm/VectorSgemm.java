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
        float[][] scratch = SCRATCH.get();
        int panels = (n + NR - 1) / NR;
        // B is packed by the calling thread; worker threads read it, so it must not be their scratch

        int need = panels * k * NR;
        if (scratch[1].length < need) {
            scratch[1] = new float[need];
        }
        float[] packed = scratch[1];
        packInto(transB, k, n, b, bOff, ldb, packed);
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
        multiply(transA, m, b.n, b.k, alpha, a, aOff, lda, b.data, beta, c, cOff, ldc, ctx);
    }

    private static void packInto(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] d) {
        int panels = (n + NR - 1) / NR;
        for (int p = 0; p < panels; p++) {
            int j0 = p * NR;
            int w = Math.min(NR, n - j0);
            int base = p * k * NR;
            for (int kk = 0; kk < k; kk++) {
                int dst = base + kk * NR;
                if (!transB) {
                    System.arraycopy(b, bOff + kk * ldb + j0, d, dst, w);
                } else {
                    for (int j = 0; j < w; j++) {
                        d[dst + j] = b[bOff + (j0 + j) * ldb + kk];
                    }
                }
                for (int j = w; j < NR; j++) {
                    d[dst + j] = 0f;
                }
            }
        }
    }

    private static void multiply(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] bp, float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) {
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

    private static void accumulate(FloatVector lo, FloatVector hi, float[] c, int idx) {
        lo.add(FloatVector.fromArray(S, c, idx)).intoArray(c, idx);
        hi.add(FloatVector.fromArray(S, c, idx + L)).intoArray(c, idx + L);
    }
}
