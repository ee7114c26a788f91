package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;

/**
 * The portable SGEMM: plain loops ordered so the innermost runs over contiguous memory. The
 * reference the Vector API kernel is tested against, and the path on JVMs without the Vector API.
 */
final class ScalarSgemm extends Sgemm {
    static final ScalarSgemm INSTANCE = new ScalarSgemm();
    private static final int NR = 16;
    private static final int MR = 4;

    private ScalarSgemm() {
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        if (!scaleC(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        ctx.parallelFor(m, grain(n, k), (from, to) -> {
            for (int i = from; i < to; i++) {
                int crow = cOff + i * ldc;
                for (int kk = 0; kk < k; kk++) {
                    float aik = alpha * (transA ? a[aOff + kk * lda + i] : a[aOff + i * lda + kk]);
                    if (aik == 0f) {
                        continue;
                    }
                    if (!transB) {
                        int brow = bOff + kk * ldb;
                        for (int j = 0; j < n; j++) {
                            c[crow + j] += aik * b[brow + j];
                        }
                    } else {
                        for (int j = 0; j < n; j++) {
                            c[crow + j] += aik * b[bOff + j * ldb + kk];
                        }
                    }
                }
            }
        });
    }

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedMatrix.pack(transB, k, n, b, bOff, ldb, NR);
    }

    @Override
    public void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                            float beta, float[] c, int cOff, int ldc, ExecContext ctx) {
        int n = b.n;
        int k = b.k;
        int nr = b.nr;
        if (!scaleC(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        float[] bp = b.data;
        ctx.parallelFor(m, grain(n, k), (from, to) -> {
            for (int i = from; i < to; i++) {
                int crow = cOff + i * ldc;
                for (int p = 0; p * nr < n; p++) {
                    int j0 = p * nr;
                    int w = Math.min(nr, n - j0);
                    int base = p * k * nr;
                    for (int kk = 0; kk < k; kk++) {
                        float aik = alpha * (transA ? a[aOff + kk * lda + i] : a[aOff + i * lda + kk]);
                        int brow = base + kk * nr;
                        for (int j = 0; j < w; j++) {
                            c[crow + j0 + j] += aik * bp[brow + j];
                        }
                    }
                }
            }
        });
    }

    @Override
    public int panelWidth() {
        return NR;
    }

    @Override
    public PackedRows packRows(int m, int k, float[] a, int aOff, int lda) {
        return PackedRows.pack(m, k, a, aOff, lda, MR);
    }

    @Override
    public int stripHeight() {
        return MR;
    }

    @Override
    public void multiplyPanels(PackedRows a, float[] bp, int bOff, int n, float[] c, int cOff, int ldc,
                               ExecContext ctx) {
        checkPanels(a, MR, n, c, cOff, ldc);
        int grain = grain(n, a.k);
        if (ctx.splits(a.m, grain)) {
            ctx.parallelFor(a.m, grain, (from, to) -> panelRows(a, bp, bOff, n, c, cOff, ldc, from, to));
        } else {
            panelRows(a, bp, bOff, n, c, cOff, ldc, 0, a.m);
        }
    }

    /** Rows [from, to) of {@link #multiplyPanels}. */
    private static void panelRows(PackedRows a, float[] bp, int bOff, int n, float[] c, int cOff, int ldc, int from,
                                  int to) {
        int k = a.k;
        float[] ad = a.data;
        for (int i = from; i < to; i++) {
            int crow = zeroedRow(c, cOff, ldc, i, n);
            int aBase = rowStart(i, k);
            for (int p = 0; p * NR < n; p++) {
                int j0 = p * NR;
                int w = Math.min(NR, n - j0);
                int base = bOff + p * k * NR;
                for (int kk = 0; kk < k; kk++) {
                    float aik = ad[aBase + kk * MR];
                    int brow = base + kk * NR;
                    for (int j = 0; j < w; j++) {
                        c[crow + j0 + j] += aik * bp[brow + j];
                    }
                }
            }
        }
    }

    @Override
    public void multiplyTaps(PackedRows a, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff, int ldc,
                             float[] bias, int biasOff, float lo, float hi, ExecContext ctx) {
        checkTaps(a, MR, panelWidth(), offsets, src, sOff, n, c, cOff, ldc, bias, biasOff);
        int grain = grain(n, a.k);
        if (ctx.splits(a.m, grain)) {
            ctx.parallelFor(a.m, grain, (from, to) -> tapRows(a, offsets, src, sOff, n, c, cOff, ldc, bias, biasOff,
                    lo, hi, from, to));
        } else {
            tapRows(a, offsets, src, sOff, n, c, cOff, ldc, bias, biasOff, lo, hi, 0, a.m);
        }
    }

    /** Rows [from, to) of {@link #multiplyTaps}. */
    private static void tapRows(PackedRows a, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff,
                                int ldc, float[] bias, int biasOff, float lo, float hi, int from, int to) {
        int k = a.k;
        float[] ad = a.data;
        for (int i = from; i < to; i++) {
            int crow = zeroedRow(c, cOff, ldc, i, n);
            int aBase = rowStart(i, k);
            for (int kk = 0; kk < k; kk++) {
                float aik = ad[aBase + kk * MR];
                int brow = sOff + offsets[kk];
                for (int j = 0; j < n; j++) {
                    c[crow + j] += aik * src[brow + j];
                }
            }
            float b = bias != null ? bias[biasOff + i] : 0f;
            for (int j = 0; j < n; j++) {
                c[crow + j] = Math.min(Math.max(c[crow + j] + b, lo), hi);
            }
        }
    }

    @Override
    public void multiplyGathered(int[] positions, int m, int[] offsets, float[] src, int sOff, PackedMatrix b,
                                 float[] c, int cOff, int ldc, ExecContext ctx) {
        checkGathered(positions, m, offsets, src, sOff, b, NR, c, cOff, ldc);
        int grain = grain(b.n, b.k);
        if (ctx.splits(m, grain)) {
            ctx.parallelFor(m, grain, (from, to) -> gatheredRows(positions, offsets, src, sOff, b, c, cOff, ldc, from,
                    to));
        } else {
            gatheredRows(positions, offsets, src, sOff, b, c, cOff, ldc, 0, m);
        }
    }

    /** Rows [from, to) of {@link #multiplyGathered}. */
    private static void gatheredRows(int[] positions, int[] offsets, float[] src, int sOff, PackedMatrix b, float[] c,
                                     int cOff, int ldc, int from, int to) {
        int k = b.k;
        int n = b.n;
        float[] bp = b.data;
        for (int i = from; i < to; i++) {
            int crow = zeroedRow(c, cOff, ldc, i, n);
            int at = sOff + positions[i];
            for (int p = 0; p * NR < n; p++) {
                int j0 = p * NR;
                int w = Math.min(NR, n - j0);
                int base = p * k * NR;
                for (int kk = 0; kk < k; kk++) {
                    float aik = src[at + offsets[kk]];
                    int brow = base + kk * NR;
                    for (int j = 0; j < w; j++) {
                        c[crow + j0 + j] += aik * bp[brow + j];
                    }
                }
            }
        }
    }

    /**
     * Rows of C per chunk of a split product of n columns and k products each: about 16,384
     * multiply-adds.
     */
    private static int grain(int n, int k) {
        return Math.max(1, 16384 / Math.max(1, n * k));
    }

    /** Where row i of C starts, zeroed over its n columns. */
    private static int zeroedRow(float[] c, int cOff, int ldc, int i, int n) {
        int crow = cOff + i * ldc;
        java.util.Arrays.fill(c, crow, crow + n, 0f);
        return crow;
    }

    /** Where row i of A starts in its strips of MR rows (stride MR). */
    private static int rowStart(int i, int k) {
        return i / MR * k * MR + i % MR;
    }
}
