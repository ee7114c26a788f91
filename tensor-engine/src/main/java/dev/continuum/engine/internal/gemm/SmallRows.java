package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C += alpha * A * op(B)} for a few rows of A with B unpacked, on the Vector API: with B
 * row-major rows of C accumulate scaled rows of B, four rows of B per pass over a column block
 * that stays in L1 (vectorised along n); with B transposed each element is a dot product along k (vectorised along k). Memory
 * bound by B, so B is streamed once per row of A.
 */
final class SmallRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SmallRows() {
    }

    /** Columns of B per pass: four rows of this many floats stay in L1 while every row of A uses them. */
    private static final int COLUMN_BLOCK = 1024;

    static void multiply(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b,
                         int bOff, int ldb, float[] c, int cOff, int ldc, ExecContext ctx) {
        ctx.parallelForWork(n, 2L * m * Math.max(1, k), (j0, j1) -> {
            if (transB) {
                for (int i = 0; i < m; i++) {
                    dots(k, alpha, a, aOff + i * lda, b, bOff, ldb, c, cOff + i * ldc, j0, j1);
                }
            } else {
                for (int jb = j0; jb < j1; jb += COLUMN_BLOCK) {
                    axpys(m, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, jb, Math.min(j1, jb + COLUMN_BLOCK));
                }
            }
        });
    }

    /** C[0:m, j0:j1] += alpha * A[0:m, :] * B[:, j0:j1], streaming four rows of B at a time. */
    private static void axpys(int m, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, int j0, int j1) {
        int jv = j0 + (j1 - j0) / L * L;
        int kk = 0;
        for (; kk + 4 <= k; kk += 4) {
            int b0 = bOff + kk * ldb;
            int b1 = b0 + ldb;
            int b2 = b1 + ldb;
            int b3 = b2 + ldb;
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * lda + kk;
                float x0 = alpha * a[aRow];
                float x1 = alpha * a[aRow + 1];
                float x2 = alpha * a[aRow + 2];
                float x3 = alpha * a[aRow + 3];
                FloatVector v0 = FloatVector.broadcast(S, x0);
                FloatVector v1 = FloatVector.broadcast(S, x1);
                FloatVector v2 = FloatVector.broadcast(S, x2);
                FloatVector v3 = FloatVector.broadcast(S, x3);
                int cRow = cOff + i * ldc;
                for (int j = j0; j < jv; j += L) {
                    FloatVector acc = FloatVector.fromArray(S, c, cRow + j);
                    acc = v0.fma(FloatVector.fromArray(S, b, b0 + j), acc);
                    acc = v1.fma(FloatVector.fromArray(S, b, b1 + j), acc);
                    acc = v2.fma(FloatVector.fromArray(S, b, b2 + j), acc);
                    acc = v3.fma(FloatVector.fromArray(S, b, b3 + j), acc);
                    acc.intoArray(c, cRow + j);
                }
                for (int j = jv; j < j1; j++) {
                    c[cRow + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
                }
            }
        }
        for (; kk < k; kk++) {
            int b0 = bOff + kk * ldb;
            for (int i = 0; i < m; i++) {
                float x0 = alpha * a[aOff + i * lda + kk];
                FloatVector v0 = FloatVector.broadcast(S, x0);
                int cRow = cOff + i * ldc;
                for (int j = j0; j < jv; j += L) {
                    v0.fma(FloatVector.fromArray(S, b, b0 + j), FloatVector.fromArray(S, c, cRow + j)).intoArray(c, cRow + j);
                }
                for (int j = jv; j < j1; j++) {
                    c[cRow + j] += x0 * b[b0 + j];
                }
            }
        }
    }

    /** c[j] += alpha * dot(a[0:k], B[j, 0:k]) for j in [j0, j1). */
    private static void dots(int k, float alpha, float[] a, int aRow, float[] b, int bOff, int ldb, float[] c,
                             int cRow, int j0, int j1) {
        int kv = k - k % (2 * L);
        for (int j = j0; j < j1; j++) {
            int bRow = bOff + j * ldb;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            for (int kk = 0; kk < kv; kk += 2 * L) {
                s0 = FloatVector.fromArray(S, a, aRow + kk).fma(FloatVector.fromArray(S, b, bRow + kk), s0);
                s1 = FloatVector.fromArray(S, a, aRow + kk + L).fma(FloatVector.fromArray(S, b, bRow + kk + L), s1);
            }
            float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
            for (int kk = kv; kk < k; kk++) {
                sum += a[aRow + kk] * b[bRow + kk];
            }
            c[cRow + j] += alpha * sum;
        }
    }
}
