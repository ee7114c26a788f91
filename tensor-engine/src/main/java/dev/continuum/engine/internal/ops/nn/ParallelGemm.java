package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.ops.ExecContext;

/**
 * Runs one {@link Sgemm} call on the session's threads by splitting the rows of C (or, for short
 * wide products such as a vector times a matrix, its columns) into independent slices.
 */
final class ParallelGemm {
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long MIN_PARALLEL_MACS = 1L << 18;

    private ParallelGemm() {
    }

    static void sgemm(ExecContext ctx, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float beta, float[] c, int cOffset, int ldc) {
        Sgemm g = Sgemm.DEFAULT;
        long macs = (long) m * n * Math.max(k, 1);
        int threads = ctx.threads();
        if (threads <= 1 || macs < MIN_PARALLEL_MACS) {
            g.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } else if (m >= 4 * threads || m >= n) {
            ctx.parallelFor(m, 1, (from, to) -> g.sgemm(transA, transB, to - from, n, k, alpha,
                    a, aOffset + (transA ? from : from * lda), lda, b, bOffset, ldb,
                    beta, c, cOffset + from * ldc, ldc));
        } else {
            ctx.parallelFor(n, 16, (from, to) -> g.sgemm(transA, transB, m, to - from, k, alpha,
                    a, aOffset, lda, b, bOffset + (transB ? from * ldb : from), ldb,
                    beta, c, cOffset + from, ldc));
        }
    }
}
