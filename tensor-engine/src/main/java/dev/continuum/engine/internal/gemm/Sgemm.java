package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;

/**
 * Single-precision matrix multiply on row-major arrays with offsets:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is m x k and {@code op(B)} is
 * k x n. Implementations keep no state between calls and may run the calls in parallel on the
 * context's threads. {@link #get()} returns the fastest implementation this JVM can run.
 */
public abstract class Sgemm {
    private static final Sgemm BEST = select();

    /** The implementation the engine uses: the Vector API kernel when available and not disabled. */
    public static Sgemm get() {
        return BEST;
    }

    /** The portable scalar implementation, the reference for differential tests. */
    public static Sgemm scalar() {
        return ScalarSgemm.INSTANCE;
    }

    /** True when {@link #get()} is the Vector API kernel. */
    public static boolean vectorized() {
        return BEST != ScalarSgemm.INSTANCE;
    }

    private static Sgemm select() {
        if (!Simd.enabled()) {
            return ScalarSgemm.INSTANCE;
        }
        try {
            return (Sgemm) Class.forName("dev.continuum.engine.internal.gemm.VectorSgemm").getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarSgemm.INSTANCE;
        }
    }

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C}. With {@code beta == 0} C is overwritten
     * (NaNs in C do not propagate).
     */
    public abstract void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc, ExecContext ctx);

    /** Packs {@code op(B)} (k x n) once, for a weight reused across many calls. */
    public abstract PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb);

    /** Like {@link #sgemm} with B pre-packed by {@link #packB} of this same implementation. */
    public abstract void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
                                     PackedMatrix b, float beta, float[] c, int cOff, int ldc, ExecContext ctx);

    /**
     * Scales C by beta in place (beta == 0 clears it) and says whether the product term
     * {@code alpha * A * B} still has to be added (k > 0 and alpha != 0).
     */
    static boolean scaleC(int m, int n, int k, float alpha, float beta, float[] c, int cOff, int ldc) {
        boolean product = k > 0 && alpha != 0f;
        if (beta == 1f) {
            return product;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
        return product;
    }
}
