package dev.continuum.engine.internal.ops.nn;

/**
 * The scalar reference {@link Sgemm}: cache-blocked loops whose innermost loop is an
 * {@code axpy} over a contiguous row of {@code op(B)} and of {@code C}, which C2 vectorises.
 * {@code op(B)} is packed per (k, n) block into a row-major panel when B is transposed, so the
 * inner loop always reads contiguous memory.
 */
final class BlockedSgemm implements Sgemm {
    /** Rows of op(B) per block: a panel of KC x NC floats stays in L2. */
    private static final int KC = 256;
    /** Columns per block: a C row segment of NC floats stays in L1. */
    private static final int NC = 512;

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda,
                      float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        scale(m, n, beta, c, cOffset, ldc);
        if (k <= 0 || alpha == 0f) {
            return;
        }
        float[] panel = transB ? new float[Math.min(k, KC) * Math.min(n, NC)] : null;
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nb = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kb = Math.min(KC, k - p0);
                float[] bp;
                int bpOffset;
                int ldbp;
                if (transB) {
                    packTransposed(b, bOffset + j0 * ldb + p0, ldb, kb, nb, panel);
                    bp = panel;
                    bpOffset = 0;
                    ldbp = nb;
                } else {
                    bp = b;
                    bpOffset = bOffset + p0 * ldb + j0;
                    ldbp = ldb;
                }
                block(transA, m, nb, kb, alpha, a, aOffset, lda, p0, bp, bpOffset, ldbp, c, cOffset + j0, ldc);
            }
        }
    }

    /**
     * C[:, 0:nb] += alpha * op(A)[:, p0:p0+kb] * panel, panel being (kb, nb) with row stride ldbp.
     * Four rows of the panel are folded into each pass over a C row, so C is loaded and stored once
     * per four multiply-adds.
     */
    private static void block(boolean transA, int m, int nb, int kb, float alpha,
                              float[] a, int aOffset, int lda, int p0,
                              float[] bp, int bpOffset, int ldbp, float[] c, int cOffset, int ldc) {
        int aStepP = transA ? lda : 1; // distance between A(i, p) and A(i, p + 1)
        for (int i = 0; i < m; i++) {
            int ci = cOffset + i * ldc;
            int ai = transA ? aOffset + p0 * lda + i : aOffset + i * lda + p0;
            int p = 0;
            for (; p + 3 < kb; p += 4, ai += 4 * aStepP) {
                float a0 = alpha * a[ai];
                float a1 = alpha * a[ai + aStepP];
                float a2 = alpha * a[ai + 2 * aStepP];
                float a3 = alpha * a[ai + 3 * aStepP];
                int b0 = bpOffset + p * ldbp;
                int b1 = b0 + ldbp;
                int b2 = b1 + ldbp;
                int b3 = b2 + ldbp;
                for (int j = 0; j < nb; j++) {
                    c[ci + j] += a0 * bp[b0 + j] + a1 * bp[b1 + j] + a2 * bp[b2 + j] + a3 * bp[b3 + j];
                }
            }
            for (; p < kb; p++, ai += aStepP) {
                float av = alpha * a[ai];
                int bi = bpOffset + p * ldbp;
                for (int j = 0; j < nb; j++) {
                    c[ci + j] += av * bp[bi + j];
                }
            }
        }
    }

    /** panel (kb, nb) = transpose of the (nb, kb) block of B starting at bStart. */
    private static void packTransposed(float[] b, int bStart, int ldb, int kb, int nb, float[] panel) {
        for (int j = 0; j < nb; j++) {
            int src = bStart + j * ldb;
            for (int p = 0; p < kb; p++) {
                panel[p * nb + j] = b[src + p];
            }
        }
    }

    private static void scale(int m, int n, float beta, float[] c, int cOffset, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOffset + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }
}
