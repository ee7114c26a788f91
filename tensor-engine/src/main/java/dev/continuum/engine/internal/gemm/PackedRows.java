package dev.continuum.engine.internal.gemm;

/**
 * An m x k left-hand matrix packed once into strips of {@code mr} rows for one {@link Sgemm}
 * implementation: strip {@code s} holds rows {@code [s*mr, s*mr+mr)} as {@code k} consecutive
 * groups of {@code mr} floats (one per row), zero-padded past {@code m}. For a constant weight
 * multiplied by many right-hand panels ({@link Sgemm#multiplyPanels}).
 */
public final class PackedRows {
    final int m;
    final int k;
    final int mr;
    final float[] data; // (strips, k, mr)

    PackedRows(int m, int k, int mr, float[] data) {
        this.m = m;
        this.k = k;
        this.mr = mr;
        this.data = data;
    }

    public int rows() {
        return m;
    }

    /**
     * Writes the m x k matrix this holds (packed with alpha 1) back into {@code a} from aOff, row by row
     * with leading dimension lda: the exact floats it was packed from.
     */
    public void unpackInto(float[] a, int aOff, int lda) {
        unstrip(data, m, k, mr, a, aOff, lda);
    }

    /**
     * Lines of k floats from groups of {@code width} lines stored as k runs of {@code width} floats (the
     * layout of both strips of A's rows and panels of B's columns), written out one line per row.
     */
    static void unstrip(float[] data, int lines, int k, int width, float[] out, int off, int ld) {
        for (int line = 0; line < lines; line++) {
            int src = line / width * k * width + line % width;
            int dst = off + line * ld;
            for (int kk = 0; kk < k; kk++) {
                out[dst + kk] = data[src + kk * width];
            }
        }
    }

    public int depth() {
        return k;
    }

    /** Packs A[m x k] (row-major at aOff, leading dimension lda) into strips of mr rows. */
    static PackedRows pack(int m, int k, float[] a, int aOff, int lda, int mr) {
        float[] d = new float[size(m, k, mr)];
        packInto(false, m, k, 1f, a, aOff, lda, mr, d);
        return new PackedRows(m, k, mr, d);
    }

    /** Floats the strips of an m x k matrix take. */
    static int size(int m, int k, int mr) {
        return (m + mr - 1) / mr * k * mr;
    }

    /** Packs alpha * op(A) (m x k) into d in the strip layout, zeroing the padding rows of the last strip. */
    static void packInto(boolean transA, int m, int k, float alpha, float[] a, int aOff, int lda, int mr, float[] d) {
        for (int s = 0; s * mr < m; s++) {
            int rows = Math.min(mr, m - s * mr);
            int base = s * k * mr;
            if (transA && alpha == 1f && rows == mr) {
                // a whole strip of op(A) = A^T: one run of mr floats per k (a copy is 2-3x faster than
                // the loop below, which costs about 1 ns a float for strips of 8)
                for (int kk = 0; kk < k; kk++) {
                    System.arraycopy(a, aOff + kk * lda + s * mr, d, base + kk * mr, mr);
                }
                continue;
            }
            if (transA) {
                for (int kk = 0; kk < k; kk++) {
                    int src = aOff + kk * lda + s * mr;
                    int dst = base + kk * mr;
                    for (int r = 0; r < rows; r++) {
                        d[dst + r] = alpha * a[src + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        d[dst + r] = 0f;
                    }
                }
                continue;
            }
            for (int r = 0; r < mr; r++) {
                if (r >= rows) {
                    for (int kk = 0; kk < k; kk++) {
                        d[base + kk * mr + r] = 0f;
                    }
                    continue;
                }
                int src = aOff + (s * mr + r) * lda;
                for (int kk = 0; kk < k; kk++) {
                    d[base + kk * mr + r] = alpha * a[src + kk];
                }
            }
        }
    }
}
