package dev.continuum.engine.internal.gemm;

/**
 * A k x n right-hand matrix packed into column panels for one {@link Sgemm} implementation:
 * panel {@code p} holds columns {@code [p*nr, p*nr+nr)} as {@code k} consecutive rows of {@code nr}
 * floats, zero-padded past {@code n}.
 */
public final class PackedMatrix {
    final int k;
    final int n;
    final int nr;
    final float[] data; // (panels, k, nr)

    PackedMatrix(int k, int n, int nr, float[] data) {
        this.k = k;
        this.n = n;
        this.nr = nr;
        this.data = data;
    }

    public int rows() {
        return k;
    }

    public int columns() {
        return n;
    }

    /**
     * Writes the k x n matrix this holds into {@code b} from bOff, row by row with leading dimension ldb:
     * the exact floats of a B packed as it is (not {@code transB}).
     */
    public void unpackInto(float[] b, int bOff, int ldb) {
        for (int kk = 0; kk < k; kk++) {
            int dst = bOff + kk * ldb;
            for (int j = 0; j < n; j++) {
                b[dst + j] = data[j / nr * k * nr + kk * nr + j % nr];
            }
        }
    }

    /**
     * Writes B^T (n x k), the transpose of the k x n matrix this holds, into {@code bt} from btOff, row
     * by row with leading dimension ldbt: the exact floats of a B packed from its transpose
     * ({@code transB}), as a convolution's W^T is packed from W.
     */
    public void unpackTransposedInto(float[] bt, int btOff, int ldbt) {
        PackedRows.unstrip(data, n, k, nr, bt, btOff, ldbt);
    }

    static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, int nr) {
        float[] d = new float[(n + nr - 1) / nr * k * nr];
        packInto(transB, k, n, b, bOff, ldb, nr, d, 0);
        return new PackedMatrix(k, n, nr, d);
    }

    /** Packs op(B) into {@code d} from dOff (panels * k * nr floats), zero-padding the last panel. */
    static void packInto(boolean transB, int k, int n, float[] b, int bOff, int ldb, int nr, float[] d, int dOff) {
        int panels = (n + nr - 1) / nr;
        for (int p = 0; p < panels; p++) {
            int j0 = p * nr;
            int w = Math.min(nr, n - j0);
            int base = dOff + p * k * nr;
            for (int kk = 0; kk < k; kk++) {
                int dst = base + kk * nr;
                if (!transB) {
                    System.arraycopy(b, bOff + kk * ldb + j0, d, dst, w);
                } else {
                    for (int j = 0; j < w; j++) {
                        d[dst + j] = b[bOff + (j0 + j) * ldb + kk];
                    }
                }
                java.util.Arrays.fill(d, dst + w, dst + nr, 0f);
            }
        }
    }
}
