package dev.continuum.engine.internal.ops.quant;

/** Integer matrix product with int accumulators over flat row-major arrays. */
final class IntGemm {
    private IntGemm() {
    }

    /**
     * {@code c[m, n] = a[m, k] * b[k, n]} (overwriting c), inputs already shifted by their zero points.
     * The i-p-j order streams rows of b and c.
     */
    static void multiply(int[] a, int aOff, int m, int k, int[] b, int bOff, int n, int[] c, int cOff) {
        java.util.Arrays.fill(c, cOff, cOff + m * n, 0);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            for (int p = 0; p < k; p++) {
                int av = a[aOff + i * k + p];
                if (av == 0) {
                    continue;
                }
                int bp = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }
}
