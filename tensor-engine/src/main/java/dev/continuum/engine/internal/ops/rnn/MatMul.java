package dev.continuum.engine.internal.ops.rnn;

/** The two small float products the recurrent kernels need, over flat row-major arrays. */
final class MatMul {
    private MatMul() {
    }

    /**
     * {@code c[m, n] = a[m, k] * b[n, k]^T}, where the matrices start at the given offsets. Rows of
     * {@code b} are contiguous, as ONNX lays out W and R, so each output is one contiguous dot.
     */
    static void multiplyTransposed(float[] a, int aOff, int m, int k, float[] b, int bOff, int n, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * k;
            int ci = cOff + i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = dot(a, ai, b, bOff + j * k, k);
            }
        }
    }

    /** {@code out[n] += v[k] * b[n, k]^T}. */
    static void addProductTransposed(float[] v, int vOff, int k, float[] b, int bOff, int n, float[] out, int outOff) {
        for (int j = 0; j < n; j++) {
            out[outOff + j] += dot(v, vOff, b, bOff + j * k, k);
        }
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int k) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < k; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < k; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
