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

    /** Columns per right-hand panel of {@link #multiplyPanels}: {@link #packPanels} groups B in this many. */
    public abstract int panelWidth();

    /** Packs A (m x k, row-major) once into row strips, for {@link #multiplyPanels} with this implementation. */
    public abstract PackedRows packRows(int m, int k, float[] a, int aOff, int lda);

    /**
     * {@code C[m x n] = A * B}, overwriting C (beta 0, alpha 1), with A packed by {@link #packRows}
     * and B (k x n) given as panels of {@link #panelWidth()} columns starting at {@code bOff}: panel
     * {@code p} is {@code k} rows of {@code panelWidth()} floats at {@code bOff + p * k * panelWidth()},
     * zero-padded past n (the layout {@link #packPanels} writes, and convolutions write directly).
     */
    public abstract void multiplyPanels(PackedRows a, float[] bp, int bOff, int n, float[] c, int cOff, int ldc,
                                        ExecContext ctx);

    /**
     * {@code C[m x n] = A * B}, overwriting C, with A packed by {@link #packRows} ({@code k =
     * offsets.length}) and B never materialised: row {@code kk} of B is the run
     * {@code src[sOff + offsets[kk], ... + n)}. A convolution over its input in a {@code Phases}
     * layout multiplies this way with no im2col: one offset per (channel, tap), every tap a contiguous
     * run over the flattened positions. Whole panels of {@link #panelWidth()} positions are read: src
     * must hold {@link #tapsExtent} floats from sOff.
     * <p>
     * A convolution's bias and clamping activation come with the product: each element is stored as
     * {@code min(max(sum + bias[biasOff + i], lo), hi)} (bias null: none; lo and hi infinite: no
     * clamp), so C is written once.
     */
    public abstract void multiplyTaps(PackedRows a, int[] offsets, float[] src, int sOff, int n, float[] c, int cOff,
                                      int ldc, float[] bias, int biasOff, float lo, float hi, ExecContext ctx);

    /**
     * {@link #multiplyTaps} of positions in rows, on the calling thread: {@code rows} runs of
     * {@code cols} positions, run q's row kk of B at {@code src[sOff + q * srcRow + offsets[kk], ... + cols)}
     * and its C at {@code cOff + q * dstRow} (row i of A at {@code + i * ldc}). A convolution's phases
     * hold each output row with a few throw-away columns after it; this reads and computes only the
     * row's own positions and writes them straight into the output plane; it writes nothing else.
     * Only for rows that {@link #tapsRowsWidth} takes. This implementation: {@link #multiplyTaps} per row.
     */
    public void multiplyTapsRows(PackedRows a, int[] offsets, float[] src, int sOff, int rows, int cols, int srcRow,
                                 float[] c, int cOff, int ldc, int dstRow, float[] bias, int biasOff, float lo,
                                 float hi) {
        checkTapsRows(a, offsets, src, sOff, rows, cols, srcRow, c, cOff, ldc, dstRow, bias, biasOff);
        for (int q = 0; q < rows; q++) {
            multiplyTaps(a, offsets, src, sOff + q * srcRow, cols, c, cOff + q * dstRow, ldc, bias, biasOff, lo, hi,
                    ExecContext.serial());
        }
    }

    /**
     * Positions {@link #multiplyTapsRows} computes for each row of cols, or -1 when it does not take
     * such rows: here rows of whole panels ({@link #panelWidth()}), computed exactly.
     */
    public int tapsRowsWidth(int cols) {
        return cols > 0 && cols % panelWidth() == 0 ? cols : -1;
    }

    /** The arguments of {@link #multiplyTapsRows}, A in strips of {@link #stripHeight()}, each named when wrong. */
    final void checkTapsRows(PackedRows a, int[] offsets, float[] src, int sOff, int rows, int cols, int srcRow,
                             float[] c, int cOff, int ldc, int dstRow, float[] bias, int biasOff) {
        if (tapsRowsWidth(cols) < 0) {
            throw new IllegalArgumentException("rows of " + cols + " positions are not taken by this product");
        }
        if (rows < 0 || srcRow < cols || dstRow < cols) {
            throw new IllegalArgumentException(rows + " rows of " + cols + " positions cannot lie " + srcRow
                    + " apart in B and " + dstRow + " apart in C");
        }
        checkStrips(a, stripHeight());
        checkTapsOperands(a, offsets, bias, biasOff);
        if (rows == 0 || a.m == 0) {
            return;
        }
        long span = (long) (rows - 1) * srcRow + cols;
        long extent = extent(offsets, 0, 1) + span;
        if (sOff < 0 || sOff + extent > src.length) {
            throw new IllegalArgumentException("source of " + src.length + " floats cannot hold " + extent
                    + " floats of B's rows at offset " + sOff);
        }
        long last = cOff + (long) (a.m - 1) * ldc + (long) (rows - 1) * dstRow + cols;
        if (cOff < 0 || ldc < cols || last > c.length) {
            throw new IllegalArgumentException("C of " + c.length + " floats cannot hold " + a.m + " x " + rows
                    + " rows of " + cols + " at offset " + cOff + " with leading dimension " + ldc);
        }
    }

    /** Floats {@link #multiplyTaps} reads from sOff: to the end of the last panel of the furthest row. */
    public final int tapsExtent(int[] offsets, int n) {
        return extent(offsets, n, panelWidth());
    }

    /** Floats from the first row of B to the end of the last panel of its furthest; a negative offset is refused. */
    private static int extent(int[] offsets, int n, int nr) {
        int furthest = 0;
        for (int o : offsets) {
            if (o < 0) {
                throw new IllegalArgumentException("negative offset " + o + " of a row of B");
            }
            furthest = Math.max(furthest, o);
        }
        return furthest + (n + nr - 1) / nr * nr;
    }

    /** The arguments of {@link #multiplyTaps} for strips of mr rows and panels of nr positions, each named when wrong. */
    static void checkTaps(PackedRows a, int mr, int nr, int[] offsets, float[] src, int sOff, int n, float[] c,
                          int cOff, int ldc, float[] bias, int biasOff) {
        checkPanels(a, mr, n, c, cOff, ldc);
        checkTapsOperands(a, offsets, bias, biasOff);
        int extent = extent(offsets, n, nr);
        if (n > 0 && a.m > 0 && (sOff < 0 || (long) sOff + extent > src.length)) {
            throw new IllegalArgumentException("source of " + src.length + " floats cannot hold " + extent
                    + " floats of B's rows at offset " + sOff);
        }
    }

    /**
     * {@code C[m x n] = A * B}, overwriting C, with B packed by {@link #packB} ({@code k x n}, {@code k =
     * offsets.length}) and A never materialised: {@code A[i][kk] = src[sOff + offsets[kk] + positions[i]]}.
     * A convolution with few output positions multiplies this way straight from its input's padded
     * planes: row i of A is output position i, whose window starts at {@code positions[i]} in a
     * plane, and column kk one (channel, tap), at {@code offsets[kk]}; no im2col and no throw-away
     * positions.
     */
    public abstract void multiplyGathered(int[] positions, int m, int[] offsets, float[] src, int sOff,
                                          PackedMatrix b, float[] c, int cOff, int ldc, ExecContext ctx);

    /**
     * The arguments of {@link #multiplyGathered} for panels of nr columns, each named when wrong; returns
     * how many floats of src from sOff the product reads across (its furthest element + 1, 0 when it
     * reads none).
     */
    static long checkGathered(int[] positions, int m, int[] offsets, float[] src, int sOff, PackedMatrix b, int nr,
                              float[] c, int cOff, int ldc) {
        if (b.nr != nr) {
            throw new IllegalArgumentException("matrix was packed for panels of " + b.nr + ", this kernel uses " + nr);
        }
        if (b.k != offsets.length) {
            throw new IllegalArgumentException("A has " + offsets.length + " columns, B " + b.k + " rows");
        }
        if (m < 0 || m > positions.length) {
            throw new IllegalArgumentException(m + " rows of A, but " + positions.length + " positions");
        }
        if (m == 0 || b.n == 0) {
            return 0;
        }
        if (ldc < b.n || cOff < 0 || cOff + (long) (m - 1) * ldc + b.n > c.length) {
            throw new IllegalArgumentException("C of " + c.length + " floats cannot hold " + m + " x " + b.n
                    + " at offset " + cOff + " with leading dimension " + ldc);
        }
        long furthest = (long) sOff + max(offsets, offsets.length, "column offset") + max(positions, m, "position");
        if (sOff < 0 || furthest >= src.length) {
            throw new IllegalArgumentException("source of " + src.length + " floats has no element " + furthest
                    + " (offset " + sOff + ", furthest column and position)");
        }
        return furthest - sOff + 1;
    }

    /** The largest of the first m values, refusing a negative one. */
    private static int max(int[] values, int m, String what) {
        int max = 0;
        for (int i = 0; i < m; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException("negative " + what + " " + values[i]);
            }
            max = Math.max(max, values[i]);
        }
        return max;
    }

    /** Rows per strip of the left-hand side of {@link #multiplyPanels} and {@link #multiplyStrips}. */
    public abstract int stripHeight();

    /**
     * {@code C[m x n] = A * B}, overwriting C, with A (m x k) given as strips of {@link #stripHeight()}
     * rows at {@code a[0]} (strip {@code s}: {@code k} groups of {@code stripHeight()} floats, one per
     * row; the layout {@link #packRows} writes, and a convolution's im2col writes directly), and B
     * packed by {@link #packB} of this implementation.
     */
    public final void multiplyStrips(float[] a, int m, int k, PackedMatrix b, float[] c, int cOff, int ldc,
                                     ExecContext ctx) {
        checkStrips(a, m, k, stripHeight(), b, panelWidth(), c, cOff, ldc);
        multiplyPanels(new PackedRows(m, k, stripHeight(), a), b.data, 0, b.n, c, cOff, ldc, ctx);
    }

    /** Floats the strips of an m x k left-hand side take for {@link #multiplyStrips}. */
    public final int stripsSize(int m, int k) {
        return PackedRows.size(m, k, stripHeight());
    }

    /** Floats {@link #packPanels} writes for a k x n matrix. */
    public final int panelsSize(int k, int n) {
        int nr = panelWidth();
        return (n + nr - 1) / nr * k * nr;
    }

    /** Copies B (k x n, row-major at bOff, leading dimension ldb) into the panel layout at dst[dOff]. */
    public final void packPanels(int k, int n, float[] b, int bOff, int ldb, float[] dst, int dOff) {
        PackedMatrix.packInto(false, k, n, b, bOff, ldb, panelWidth(), dst, dOff);
    }

    static void checkStrips(float[] a, int m, int k, int mr, PackedMatrix b, int nr, float[] c, int cOff, int ldc) {
        if (b.nr != nr) {
            throw new IllegalArgumentException("matrix was packed for panels of " + b.nr + ", this kernel uses " + nr);
        }
        if (b.k != k) {
            throw new IllegalArgumentException("A has " + k + " columns, B " + b.k + " rows");
        }
        if (a.length < PackedRows.size(m, k, mr)) {
            throw new IllegalArgumentException(a.length + " floats cannot hold the strips of " + m + " x " + k);
        }
        if (b.n > 0 && m > 0 && (ldc < b.n || cOff + (long) (m - 1) * ldc + b.n > c.length)) {
            throw new IllegalArgumentException("C of " + c.length + " floats cannot hold " + m + " x " + b.n
                    + " at offset " + cOff + " with leading dimension " + ldc);
        }
    }

    /** A's bias and its columns against B's rows (one offset each) of a product over the taps, each named when wrong. */
    private static void checkTapsOperands(PackedRows a, int[] offsets, float[] bias, int biasOff) {
        if (bias != null && (biasOff < 0 || (long) biasOff + a.m > bias.length)) {
            throw new IllegalArgumentException("bias of " + bias.length + " floats has no " + a.m + " values at offset "
                    + biasOff);
        }
        if (a.k != offsets.length) {
            throw new IllegalArgumentException("A has " + a.k + " columns, B " + offsets.length + " rows");
        }
    }

    /** Refuses rows packed in strips of another height than the kernel's mr. */
    private static void checkStrips(PackedRows a, int mr) {
        if (a.mr != mr) {
            throw new IllegalArgumentException("rows were packed in strips of " + a.mr + ", this kernel uses " + mr);
        }
    }

    static void checkPanels(PackedRows a, int mr, int n, float[] c, int cOff, int ldc) {
        checkStrips(a, mr);
        if (n > 0 && a.m > 0 && (ldc < n || cOff + (long) (a.m - 1) * ldc + n > c.length)) {
            throw new IllegalArgumentException("C of " + c.length + " floats cannot hold " + a.m + " x " + n
                    + " at offset " + cOff + " with leading dimension " + ldc);
        }
    }

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
