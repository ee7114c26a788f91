package dev.continuum.engine.internal.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.WorkerPool;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Both SGEMM implementations against a double-precision triple loop, on odd sizes, transposes,
 * offsets, alpha/beta and 1 or 2 threads. Tolerance: |got - want| <= 1e-4 * (1 + sum |a||b|).
 */
class SgemmDifferentialTest {
    private static final WorkerPool POOL = new WorkerPool(1);

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        int[][] sizes = {{1, 1, 1}, {1, 7, 33}, {7, 1, 5}, {6, 16, 1}, {13, 33, 130}, {130, 17, 7}, {64, 64, 300},
                {1, 768, 768}, {1, 1000, 37}, {3, 0, 4}, {0, 5, 4}, {5, 4, 0}, {2, 70, 33}, {3, 40, 17},
                {4, 33, 100}, {17, 70, 1100}};
        for (String impl : new String[] {"scalar", "best"}) {
            for (int[] s : sizes) {
                for (int t = 0; t < 4; t++) {
                    b.add(Arguments.of(impl, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void sgemmMatchesDoublePrecisionReference(String impl, int m, int n, int k, boolean transA, boolean transB) {
        Sgemm g = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        Random rnd = new Random(m * 31L + n * 17L + k);
        int off = 3;
        int lda = (transA ? m : k) + 2;
        int ldb = (transB ? k : n) + 1;
        int ldc = n + 4;
        float[] a = random(rnd, off + (transA ? k : m) * lda);
        float[] b = random(rnd, off + (transB ? n : k) * ldb);
        float[] c = random(rnd, off + m * ldc);
        float[] c0 = c.clone();
        float alpha = 0.75f;
        float beta = 0.5f;
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2)}) {
            float[] got = c0.clone();
            g.sgemm(transA, transB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, got, off, ldc, ctx);
            check(impl, m, n, k, transA, transB, a, lda, b, ldb, c0, ldc, alpha, beta, got, off);
            float[] packedResult = c0.clone();
            PackedMatrix pb = g.packB(transB, k, n, b, off, ldb);
            g.sgemmPacked(transA, m, alpha, a, off, lda, pb, beta, packedResult, off, ldc, ctx);
            check(impl + " packed", m, n, k, transA, transB, a, lda, b, ldb, c0, ldc, alpha, beta, packedResult, off);
        }
        assertThat(c).isEqualTo(c0);
    }

    static Stream<Arguments> panelCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        // last strips of 1, 2, 3 and 4 rows (the small edge kernels), also over two k-blocks; a last
        // strip of one row after a whole one (computed with it: 9 = 8 + 1, 17, 49) on whole and partial panels;
        // whole strips on a last panel of one vector or less (36 = 32 + 4, 48 = 32 + 16), also over two k-blocks
        int[][] sizes = {{1, 1, 1}, {6, 16, 9}, {16, 1024, 147}, {7, 17, 300}, {13, 33, 600}, {8, 36, 24},
                {130, 9, 112}, {5, 4, 0}, {4, 40, 50}, {12, 33, 20}, {11, 70, 800}, {2, 33, 9}, {9, 64, 1537},
                {17, 64, 300}, {49, 40, 100}, {9, 1280, 112}, {24, 36, 200}, {16, 48, 1000}};
        for (String impl : new String[] {"scalar", "best"}) {
            for (int[] s : sizes) {
                b.add(Arguments.of(impl, s[0], s[1], s[2]));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} multiplyPanels float32 m={1} n={2} k={3}")
    @MethodSource("panelCases")
    void multiplyPanelsMatchesDoublePrecisionReference(String impl, int m, int n, int k) {
        Sgemm g = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        Random rnd = new Random(m * 131L + n * 7L + k);
        int off = 5;
        int lda = k + 3;
        int ldb = n + 2;
        int ldc = n + 4;
        float[] a = random(rnd, off + m * lda);
        float[] b = random(rnd, off + k * ldb);
        PackedRows pa = g.packRows(m, k, a, off, lda);
        float[] panels = new float[off + g.panelsSize(k, n)];
        java.util.Arrays.fill(panels, Float.NaN); // packPanels must write every float the product reads
        g.packPanels(k, n, b, off, ldb, panels, off);
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2)}) {
            float[] got = new float[off + m * ldc];
            java.util.Arrays.fill(got, Float.NaN); // C is overwritten, never read
            g.multiplyPanels(pa, panels, off, n, got, off, ldc, ctx);
            float[] c0 = new float[got.length];
            check(impl + " multiplyPanels float32 threads=" + ctx.threads(), m, n, k, false, false, a, lda, b, ldb, c0,
                    ldc, 1f, 0f, got, off);
            for (int i = 0; i < m; i++) {
                assertThat(got[off + i * ldc + n]).as("C past column n in row %d", i).isNaN();
            }
        }
    }

    @ParameterizedTest(name = "{0} multiplyStrips float32 m={1} n={2} k={3}")
    @MethodSource("panelCases")
    void multiplyStripsMatchesDoublePrecisionReference(String impl, int m, int n, int k) {
        Sgemm g = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        Random rnd = new Random(m * 17L + n * 5L + k);
        int lda = k + 3;
        int ldb = n + 2;
        int ldc = n + 4;
        float[] a = random(rnd, m * lda);
        float[] b = random(rnd, k * ldb);
        float[] strips = new float[g.stripsSize(m, k) + 7]; // longer than needed, as an arena's arrays are
        System.arraycopy(g.packRows(m, k, a, 0, lda).data, 0, strips, 0, g.stripsSize(m, k));
        PackedMatrix pb = g.packB(false, k, n, b, 0, ldb);
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2)}) {
            float[] got = new float[m * ldc];
            java.util.Arrays.fill(got, Float.NaN); // C is overwritten, never read
            g.multiplyStrips(strips, m, k, pb, got, 0, ldc, ctx);
            check(impl + " multiplyStrips float32 threads=" + ctx.threads(), m, n, k, false, false, a, lda, b, ldb,
                    new float[got.length], ldc, 1f, 0f, got, 0);
        }
    }

    static Stream<Arguments> tapCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        // m, channels, taps, plane, n; strips cross the panels one by one where K x the panels' positions
        // is at most 65,536 floats, and the last two cases pass the strips panel by panel (K = 576 on
        // 10 panels; K = 256 on 9 panels, 17 strips of which the last has one row)
        int[][] sizes = {{1, 1, 1, 40, 1}, {8, 2, 9, 100, 33}, {13, 3, 9, 300, 70}, {16, 16, 9, 400, 288},
                {130, 4, 4, 64, 17}, {7, 5, 49, 500, 100}, {24, 64, 9, 81, 61}, {20, 64, 9, 400, 300},
                {129, 64, 4, 300, 270}};
        for (String impl : new String[] {"scalar", "best"}) {
            for (int[] s : sizes) {
                b.add(Arguments.of(impl, s[0], s[1], s[2], s[3], s[4]));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} multiplyTaps m={1} channels={2} taps={3} plane={4} n={5}")
    @MethodSource("tapCases")
    void multiplyTapsMatchesDoublePrecisionReference(String impl, int m, int channels, int taps, int plane, int n) {
        Sgemm g = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        Random rnd = new Random(m * 7L + channels * 131L + taps * 17L + n);
        int k = channels * taps;
        int[] offsets = new int[k]; // a convolution's (channel, tap) rows
        for (int t = 0; t < taps; t++) {
            int tap = rnd.nextInt(plane);
            for (int ch = 0; ch < channels; ch++) {
                offsets[ch * taps + t] = ch * plane + tap;
            }
        }
        int off = 3;
        int lda = k + 1;
        int ldc = n + 2;
        float[] a = random(rnd, off + m * lda);
        // exactly as long as the product may read: an over-read fails with an index out of bounds
        float[] src = random(rnd, off + g.tapsExtent(offsets, n));
        float[] b = new float[off + k * n]; // B spelled out, for the reference
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < n; j++) {
                b[off + kk * n + j] = src[off + offsets[kk] + j];
            }
        }
        PackedRows pa = g.packRows(m, k, a, off, lda);
        float[] bias = random(rnd, off + m);
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2)}) {
            float[] got = new float[off + m * ldc];
            java.util.Arrays.fill(got, Float.NaN); // C is overwritten, never read
            g.multiplyTaps(pa, offsets, src, off, n, got, off, ldc, null, 0, Float.NEGATIVE_INFINITY,
                    Float.POSITIVE_INFINITY, ctx);
            check(impl + " multiplyTaps threads=" + ctx.threads(), m, n, k, false, false, a, lda, b, n,
                    new float[got.length], ldc, 1f, 0f, got, off);
            for (int i = 0; i < m; i++) {
                assertThat(got[off + i * ldc + n]).as("C past column n in row %d", i).isNaN();
            }
            // with a bias and a clamp: every element clamped after its bias, none past column n
            float[] fused = new float[off + m * ldc];
            java.util.Arrays.fill(fused, Float.NaN);
            g.multiplyTaps(pa, offsets, src, off, n, fused, off, ldc, bias, off, -0.5f, 0.75f, ctx);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = off + i * ldc + j;
                    float want = Math.min(Math.max(got[at] + bias[off + i], -0.5f), 0.75f);
                    if (!(Math.abs(fused[at] - want) <= 1e-5f)) {
                        fail("%s multiplyTaps with bias m=%d n=%d: C[%d,%d] = %f, expected %f", impl, m, n, i, j,
                                fused[at], want);
                    }
                }
                assertThat(fused[off + i * ldc + n]).as("C past column n in row %d", i).isNaN();
            }
        }
    }

    static Stream<Arguments> tapRowsCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        // m, rows, cols: whole and short strips; rows of whole vectors (8 or 16 lanes) and of more,
        // their last vector overlapping; even and odd counts of vectors (odd: the last three one tile),
        // tiles within a row and across rows
        int[][] sizes = {{8, 1, 16}, {16, 4, 16}, {13, 5, 32}, {8, 3, 32}, {21, 6, 32}, {16, 7, 64}, {3, 2, 64},
                {16, 3, 48}, {9, 4, 48}, {8, 2, 112}, {16, 1, 36}, {11, 3, 20}, {8, 5, 17}, {24, 2, 100}, {8, 2, 9},
                {13, 1, 40}, {5, 3, 16}, {8, 5, 48}};
        for (String impl : new String[] {"scalar", "best"}) {
            for (int[] s : sizes) {
                b.add(Arguments.of(impl, s[0], s[1], s[2]));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} multiplyTapsRows m={1} rows={2} cols={3}")
    @MethodSource("tapRowsCases")
    void multiplyTapsRowsMatchesMultiplyTapsRowByRow(String impl, int m, int rows, int cols) {
        Sgemm g = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        if (g.tapsRowsWidth(cols) < 0) {
            assertThat(cols % g.panelWidth()).as("rows of whole panels must be taken").isNotZero();
            return;
        }
        assertThat(g.tapsRowsWidth(cols)).as("positions computed per row").isGreaterThanOrEqualTo(cols);
        Random rnd = new Random(m * 31L + rows * 7L + cols);
        int channels = 3;
        int taps = 9;
        int srcRow = cols + 3; // the phases' throw-away columns
        int plane = (rows + 2) * srcRow;
        int k = channels * taps;
        int[] offsets = new int[k];
        for (int ch = 0; ch < channels; ch++) {
            for (int t = 0; t < taps; t++) {
                offsets[ch * taps + t] = ch * plane + t / 3 * srcRow + t % 3;
            }
        }
        int off = 5;
        int furthest = java.util.Arrays.stream(offsets).max().getAsInt();
        // exactly as long as the rows read: an over-read fails with an index out of bounds
        float[] src = random(rnd, off + furthest + (rows - 1) * srcRow + cols);
        float[] padded = java.util.Arrays.copyOf(src, src.length + g.panelWidth()); // for multiplyTaps' whole panels
        float[] a = random(rnd, m * k);
        PackedRows pa = g.packRows(m, k, a, 0, k);
        float[] bias = random(rnd, m);
        int dstRow = cols + 1;
        int ldc = rows * dstRow + 2;
        for (boolean fused : new boolean[] {false, true}) {
            float lo = fused ? -0.5f : Float.NEGATIVE_INFINITY;
            float hi = fused ? 0.75f : Float.POSITIVE_INFINITY;
            float[] want = new float[off + m * ldc];
            java.util.Arrays.fill(want, Float.NaN);
            for (int q = 0; q < rows; q++) {
                g.multiplyTaps(pa, offsets, padded, off + q * srcRow, cols, want, off + q * dstRow, ldc,
                        fused ? bias : null, 0, lo, hi, ExecContext.serial());
            }
            float[] got = new float[off + m * ldc];
            java.util.Arrays.fill(got, Float.NaN); // C is overwritten where the rows are, nowhere else
            g.multiplyTapsRows(pa, offsets, src, off, rows, cols, srcRow, got, off, ldc, dstRow, fused ? bias : null,
                    0, lo, hi);
            for (int i = 0; i < got.length; i++) {
                if (Float.isNaN(want[i])) {
                    assertThat(got[i]).as("C[%d], outside the rows", i).isNaN();
                } else if (!(Math.abs(got[i] - want[i]) <= 1e-5f * Math.max(1f, Math.abs(want[i])))) {
                    fail("%s multiplyTapsRows m=%d rows=%d cols=%d fused=%s: C[%d] = %f, expected %f", impl, m, rows,
                            cols, fused, i, got[i], want[i]);
                }
            }
        }
    }

    @Test
    void multiplyTapsRowsNamesWhatDoesNotFit() {
        Sgemm g = Sgemm.get();
        int cols = g.panelWidth();
        PackedRows rows = g.packRows(3, 2, new float[6], 0, 2);
        int[] offsets = {0, 1};
        float inf = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> g.multiplyTapsRows(rows, offsets, new float[1000], 0, 2,
                        3, 4, new float[1000], 0, 100, 3, null, 0, -inf, inf))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are not taken by this product");
        // two rows read 1 + (cols + 2) + cols floats
        assertThatThrownBy(() -> g.multiplyTapsRows(rows, offsets, new float[2 * cols + 2],
                        0, 2, cols, cols + 2, new float[1000], 0, 100, cols, null, 0, -inf, inf))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold " + (2 * cols + 3));
        assertThatThrownBy(() -> g.multiplyTapsRows(rows, offsets, new float[1000], 0, 2,
                        cols, cols, new float[2 * 100 + 2 * cols - 1], 0, 100, cols, null, 0, -inf, inf))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C of " + (2 * 100 + 2 * cols - 1));
        assertThatThrownBy(() -> g.multiplyTapsRows(rows, offsets, new float[1000], 0, 2,
                        cols, cols - 1, new float[1000], 0, 100, cols, null, 0, -inf, inf))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot lie " + (cols - 1) + " apart");
        PackedRows scalarRows = Sgemm.scalar().packRows(3, 2, new float[6], 0, 2);
        org.junit.jupiter.api.Assumptions.assumeTrue(scalarRows.mr != rows.mr, "needs kernels of two strip heights");
        assertThatThrownBy(() -> g.multiplyTapsRows(scalarRows, offsets, new float[1000], 0, 2, cols, cols,
                        new float[1000], 0, 100, cols, null, 0, -inf, inf))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strips of " + scalarRows.mr);
    }

    static Stream<Arguments> gatheredCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        // m (positions), channels, taps, n (output channels): tiles of 8, 4 and 1 rows, partial panels
        // ({40, 4, 1, 40} and {300, 2, 1, 40}: the source spans more floats than B holds, so a split
        // takes blocks of tiles of rows); odd K on tiles of 8 (27, 7 and 1); blocks of unequal tile
        // counts in a split ({200, 3, 9, 64}: 25 tiles per panel in 8 blocks; {300, 2, 1, 40}: 38 in 16)
        int[][] sizes = {{1, 1, 1, 1}, {8, 2, 9, 32}, {21, 3, 9, 70}, {49, 16, 9, 64}, {4, 5, 4, 17},
                {13, 64, 9, 33}, {5, 1, 7, 100}, {40, 4, 1, 40}, {8, 1, 1, 32}, {16, 7, 1, 32}, {200, 3, 9, 64},
                {300, 2, 1, 40}};
        // and positions laid out as a convolution's output rows: {m, channels, taps, n, step, row width}.
        // Rows of 11 put some tiles of 8 within a row and others across two; rows of 8 every tile
        // within one; rows of 7, 14, 28, 30, 42 and 70 go in tiles of 7 (and 8) that end with the row
        // (98 = 7 x 14: the split's blocks of tiles start inside rows; rows of 150 fill the product's
        // first look ahead and end in two tiles of 7); a step of 3 is not one the tiles read from a
        // single index
        int[][] rows = {{40, 3, 9, 40, 1, 11}, {40, 3, 9, 40, 2, 11}, {64, 2, 4, 70, 1, 8}, {48, 5, 3, 33, 2, 8},
                {49, 3, 9, 40, 1, 7}, {49, 2, 5, 64, 2, 7}, {98, 2, 9, 64, 1, 14}, {56, 3, 3, 33, 2, 14},
                {84, 2, 9, 40, 1, 28}, {60, 2, 3, 33, 2, 30}, {84, 1, 9, 32, 1, 42}, {140, 1, 3, 40, 1, 70},
                {300, 1, 3, 40, 1, 150},
                {40, 2, 9, 32, 3, 10}};
        for (String impl : new String[] {"scalar", "best"}) {
            for (int[] s : sizes) {
                b.add(Arguments.of(impl, s[0], s[1], s[2], s[3], 0, 0));
            }
            for (int[] s : rows) {
                b.add(Arguments.of(impl, s[0], s[1], s[2], s[3], s[4], s[5]));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} multiplyGathered m={1} channels={2} taps={3} n={4} step={5} row={6}")
    @MethodSource("gatheredCases")
    void multiplyGatheredMatchesDoublePrecisionReference(String impl, int m, int channels, int taps, int n, int step,
                                                         int rowWidth) {
        Sgemm g = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        Random rnd = new Random(m * 11L + channels * 7L + taps * 3L + n + step);
        int plane = 50;
        int k = channels * taps;
        int[] offsets = new int[k]; // a convolution's (channel, tap) columns
        int[] tapAt = new int[taps];
        int furthestTap = 0;
        for (int t = 0; t < taps; t++) {
            tapAt[t] = rnd.nextInt(20);
            furthestTap = Math.max(furthestTap, tapAt[t]);
        }
        for (int ch = 0; ch < channels; ch++) {
            for (int t = 0; t < taps; t++) {
                offsets[ch * taps + t] = ch * plane + tapAt[t];
            }
        }
        int[] positions = new int[m + 3]; // longer than m: only the first m are rows of A
        int furthest = 0;
        for (int i = 0; i < positions.length; i++) {
            // step 0: anywhere; else rowWidth outputs step apart per row, rows 3 floats further apart
            int at = step == 0 ? rnd.nextInt(plane - 20) : i / rowWidth * (rowWidth * step + 3) + i % rowWidth * step;
            positions[i] = i < m ? at : Integer.MAX_VALUE / 2;
            furthest = Math.max(furthest, i < m ? positions[i] : 0);
        }
        int off = 3;
        // exactly as long as the product may read: an over-read fails with an index out of bounds
        float[] src = random(rnd, off + (channels - 1) * plane + furthestTap + furthest + 1);
        int lda = k + 1;
        float[] a = new float[off + m * lda]; // A spelled out, for the reference
        for (int i = 0; i < m; i++) {
            for (int kk = 0; kk < k; kk++) {
                a[off + i * lda + kk] = src[off + offsets[kk] + positions[i]];
            }
        }
        int ldb = n + 2;
        float[] bt = random(rnd, off + k * ldb);
        PackedMatrix pb = g.packB(false, k, n, bt, off, ldb);
        int ldc = n + 3;
        // the last context splits whatever the size (by panels of B or by tiles of rows)
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2),
                new ExecContext(POOL, 2, new Arena(), 1)}) {
            float[] got = new float[off + m * ldc];
            java.util.Arrays.fill(got, Float.NaN); // C is overwritten, never read
            g.multiplyGathered(positions, m, offsets, src, off, pb, got, off, ldc, ctx);
            check(impl + " multiplyGathered threads=" + ctx.threads(), m, n, k, false, false, a, lda, bt, ldb,
                    new float[got.length], ldc, 1f, 0f, got, off);
            for (int i = 0; i < m; i++) {
                assertThat(got[off + i * ldc + n]).as("C past column n in row %d", i).isNaN();
            }
        }
    }

    @Test
    void multiplyGatheredRejectsWhatItCannotRead() {
        Sgemm g = Sgemm.get();
        PackedMatrix pb = g.packB(false, 3, 4, new float[12], 0, 4);
        int[] offsets = {0, 5, 10};
        int[] positions = {0, 2, 4};
        ExecContext serial = ExecContext.serial();
        // the furthest element read is 10 + 4 = 14
        assertThatThrownBy(() -> g.multiplyGathered(positions, 3, offsets,
                        new float[14], 0, pb, new float[12], 0, 4, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no element 14");
        assertThatThrownBy(() -> g.multiplyGathered(positions, 3, new int[] {0, 5},
                        new float[100], 0, pb, new float[12], 0, 4, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A has 2 columns, B 3 rows");
        assertThatThrownBy(() -> g.multiplyGathered(new int[] {0, -2, 4}, 3, offsets,
                        new float[100], 0, pb, new float[12], 0, 4, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative position -2");
        assertThatThrownBy(() -> g.multiplyGathered(positions, 3, new int[] {0, -5, 10},
                        new float[100], 0, pb, new float[12], 0, 4, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative column offset -5");
        assertThatThrownBy(() -> g.multiplyGathered(positions, 4, offsets,
                        new float[100], 0, pb, new float[16], 0, 4, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 rows of A, but 3 positions");
        assertThatThrownBy(() -> g.multiplyGathered(positions, 3, offsets,
                        new float[100], 0, pb, new float[11], 0, 4, serial))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C of 11 floats cannot hold 3 x 4");
        PackedMatrix other = (g == Sgemm.scalar() ? Sgemm.get() : Sgemm.scalar()).packB(false, 3, 4, new float[12], 0,
                4);
        if (other.nr != pb.nr) {
            assertThatThrownBy(() -> g.multiplyGathered(positions, 3, offsets,
                            new float[100], 0, other, new float[12], 0, 4, serial))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packed for panels of");
        }
    }

    @Test
    void multiplyTapsRejectsASourceShorterThanItsTaps() {
        Sgemm g = Sgemm.get();
        PackedRows rows = g.packRows(3, 4, new float[12], 0, 4);
        int[] offsets = {0, 5, 10, 15};
        int extent = g.tapsExtent(offsets, 7);
        float inf = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> g.multiplyTaps(rows, offsets, new float[extent - 1], 0,
                        7, new float[21], 0, 7, null, 0, -inf, inf, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold " + extent);
        assertThatThrownBy(() -> g.multiplyTaps(rows, new int[] {0, 5, 10}, new float[100],
                        0, 7, new float[21], 0, 7, null, 0, -inf, inf, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A has 4 columns, B 3 rows");
        assertThatThrownBy(() -> g.multiplyTaps(rows, new int[] {0, 5, -1, 15},
                        new float[100], 0, 7, new float[21], 0, 7, null, 0, -inf, inf, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative offset -1");
        assertThatThrownBy(() -> g.multiplyTaps(rows, offsets, new float[100], 0, 7,
                        new float[21], 0, 7, new float[4], 2, -inf, inf, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 3 values at offset 2");
    }

    @Test
    void multiplyStripsRejectsAMismatchedB() {
        Sgemm g = Sgemm.get();
        PackedMatrix pb = g.packB(false, 3, 4, new float[12], 0, 4);
        assertThatThrownBy(() -> g.multiplyStrips(new float[g.stripsSize(2, 5)], 2,
                        5, pb, new float[8], 0, 4, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A has 5 columns, B 3 rows");
    }

    @Test
    void multiplyPanelsRejectsRowsPackedByTheOtherImplementationWhenStripsDiffer() {
        PackedRows scalarRows = Sgemm.scalar().packRows(2, 2, new float[4], 0, 2);
        org.junit.jupiter.api.Assumptions.assumeTrue(Sgemm.vectorized(), "needs the Vector API kernel");
        assertThatThrownBy(() -> Sgemm.get().multiplyPanels(scalarRows,
                        new float[32 * 2], 0, 2, new float[4], 0, 2, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strips of 4");
    }

    @Test
    void multiplyPanelsRejectsACTooSmallForTheProduct() {
        Sgemm g = Sgemm.get();
        PackedRows rows = g.packRows(3, 2, new float[6], 0, 2);
        assertThatThrownBy(() -> g.multiplyPanels(rows, new float[g.panelsSize(2, 4)],
                        0, 4, new float[11], 0, 4, ExecContext.serial()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold 3 x 4");
    }

    @Test
    void betaZeroOverwritesNaNsInC() {
        float[] a = {1, 2};
        float[] b = {3, 4};
        float[] c = {Float.NaN};
        Sgemm.get().sgemm(false, false, 1, 1, 2, 1f, a, 0, 2, b, 0, 1, 0f, c, 0, 1, ExecContext.serial());
        assertThat(c[0]).isEqualTo(11f);
    }

    private static void check(String impl, int m, int n, int k, boolean transA, boolean transB, float[] a, int lda,
                              float[] b, int ldb, float[] c0, int ldc, float alpha, float beta, float[] got, int off) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double mag = 0;
                for (int kk = 0; kk < k; kk++) {
                    double x = transA ? a[off + kk * lda + i] : a[off + i * lda + kk];
                    double y = transB ? b[off + j * ldb + kk] : b[off + kk * ldb + j];
                    sum += x * y;
                    mag += Math.abs(x * y);
                }
                double want = alpha * sum + beta * c0[off + i * ldc + j];
                double err = Math.abs(got[off + i * ldc + j] - want);
                if (!(err <= 1e-4 * (1 + mag))) { // a NaN (an element never written) fails too
                    fail("%s sgemm m=%d n=%d k=%d transA=%s transB=%s: C[%d,%d] = %f, expected %f", impl, m, n, k,
                            transA, transB, i, j, got[off + i * ldc + j], want);
                }
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
