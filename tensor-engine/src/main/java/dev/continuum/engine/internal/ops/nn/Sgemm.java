package dev.continuum.engine.internal.ops.nn;

/**
 * Single-precision general matrix multiply on row-major flat arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
 * {@code op(A)} is (m, k), {@code op(B)} is (k, n), {@code C} is (m, n); each matrix starts at its
 * offset and has a leading dimension (row stride, in elements). With {@code beta == 0} the old
 * contents of {@code C} are ignored (NaN in C does not leak through).
 *
 * <p>Every float matrix product of this package (Gemm, MatMul, Conv, ConvTranspose) goes through
 * this one primitive, so a faster implementation replaces all of them at once.
 */
interface Sgemm {
    /** The implementation the kernels use. */
    Sgemm DEFAULT = new BlockedSgemm();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOffset, int lda,
               float[] b, int bOffset, int ldb,
               float beta, float[] c, int cOffset, int ldc);
}
