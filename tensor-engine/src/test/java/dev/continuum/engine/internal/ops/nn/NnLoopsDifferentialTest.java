package dev.continuum.engine.internal.ops.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.continuum.engine.internal.ops.FusedActivation;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@link NnLoops} method of the Vector API implementation against the scalar reference, on
 * odd lengths and offsets. Tolerance: |vector - scalar| <= 1e-5 * (1 + |scalar|) elementwise,
 * 1e-5 * (1 + sum |terms|) for reductions.
 */
class NnLoopsDifferentialTest {
    private static final NnLoops S = NnLoops.scalar();
    private static final NnLoops V = NnLoops.get();

    static IntStream lengths() {
        return IntStream.of(1, 7, 8, 15, 16, 17, 33, 100, 257);
    }

    @ParameterizedTest(name = "float32 len={0}")
    @MethodSource("lengths")
    void elementwiseLoopsMatchScalar(int len) {
        Random rnd = new Random(len);
        int off = 3;
        float[] x = random(rnd, off + len + 40);
        float[] scale = random(rnd, len);
        float[] bias = random(rnd, len);
        for (FusedActivation act : new FusedActivation[] {FusedActivation.none(),
                new FusedActivation(FusedActivation.Kind.RELU, 0, 0), new FusedActivation(FusedActivation.Kind.CLIP, -0.2f, 0.3f),
                new FusedActivation(FusedActivation.Kind.CLIP, 0.5f, 0.1f), new FusedActivation(FusedActivation.Kind.TANH, 0, 0)}) {
            Epilogue e = Epilogue.of(act);
            float[] ys = new float[off + len];
            float[] yv = new float[off + len];
            S.biasActivation(x, off, ys, off, len, 0.25f, e);
            V.biasActivation(x, off, yv, off, len, 0.25f, e);
            compare("biasActivation(" + act + ")", len, ys, yv);
        }
        float[] ys = new float[off + len];
        float[] yv = new float[off + len];
        S.affine(x, off, ys, off, len, 1.5f, -0.25f);
        V.affine(x, off, yv, off, len, 1.5f, -0.25f);
        compare("affine", len, ys, yv);
        S.normalise(x, ys, off, len, 0.1f, 2f, scale, bias);
        V.normalise(x, yv, off, len, 0.1f, 2f, scale, bias);
        compare("normalise", len, ys, yv);
        float ss = S.expShift(x, ys, off, len, 0.7f);
        float sv = V.expShift(x, yv, off, len, 0.7f);
        compare("expShift", len, ys, yv);
        close("expShift sum", len, ss, sv, ss);
        S.scale(ys, off, len, 0.3f);
        V.scale(yv, off, len, 0.3f);
        compare("scale", len, ys, yv);
        S.subtract(x, ys, off, len, 0.3f);
        V.subtract(x, yv, off, len, 0.3f);
        compare("subtract", len, ys, yv);
        float abs = 0;
        for (int i = off; i < off + len; i++) {
            abs += Math.abs(x[i]) * (2 + Math.abs(x[i]));
        }
        close("sum", len, S.sum(x, off, len), V.sum(x, off, len), abs);
        close("sumSquaredDiff", len, S.sumSquaredDiff(x, off, len, 0.1f), V.sumSquaredDiff(x, off, len, 0.1f), abs);
        assertThat(V.max(x, off, len)).as("max float32 len=" + len).isEqualTo(S.max(x, off, len));
    }

    @ParameterizedTest(name = "float32 taps count={0}")
    @MethodSource("lengths")
    void tapLoopsMatchScalar(int len) {
        int count = (len + NnLoops.PAD - 1) / NnLoops.PAD * NnLoops.PAD;
        Random rnd = new Random(len * 7L);
        int dOff = 5;
        float[] d = random(rnd, dOff + count + 64);
        float[] w = random(rnd, 30);
        for (int taps : new int[] {1, 4, 9, 25}) {
            int[] offsets = new int[taps];
            for (int i = 0; i < taps; i++) {
                offsets[i] = rnd.nextInt(60);
            }
            float[] ts = new float[2 + count];
            float[] tv = new float[2 + count];
            S.weightedTaps(d, dOff, offsets, w, 3, 0.5f, ts, 2, count);
            V.weightedTaps(d, dOff, offsets, w, 3, 0.5f, tv, 2, count);
            compare("weightedTaps(" + taps + ")", count, ts, tv);
            S.sumTaps(d, dOff, offsets, ts, 2, count);
            V.sumTaps(d, dOff, offsets, tv, 2, count);
            compare("sumTaps(" + taps + ")", count, ts, tv);
            S.maxTaps(d, dOff, offsets, ts, 2, count);
            V.maxTaps(d, dOff, offsets, tv, 2, count);
            assertThat(tv).as("maxTaps(" + taps + ") float32 count=" + count).isEqualTo(ts);
        }
    }

    @ParameterizedTest(name = "maxPool2x2 float32 outputs per row={0}")
    @MethodSource("lengths")
    void maxPool2x2MatchesScalarNaNsIncluded(int outW) {
        Random rnd = new Random(outW);
        int w = 2 * outW;
        int outH = 3;
        int xOff = 5;
        float[] x = random(rnd, xOff + (2 * outH + 1) * w);
        x[xOff + w + 1] = Float.NaN; // a NaN in the first window (and in the vertical pass's second row)
        x[x.length - 1] = Float.NaN; // in the odd last row, outside every window
        float[] ys = new float[outH * outW + 2];
        float[] yv = new float[outH * outW + 2];
        S.maxPool2x2(x, xOff, w, outH, outW, new float[outH * w + 3], 3, ys, 1);
        V.maxPool2x2(x, xOff, w, outH, outW, new float[outH * w + 3], 3, yv, 1);
        assertThat(yv).as("outW %d", outW).containsExactly(ys);
        assertThat(ys[1]).isNaN();
    }

    /**
     * Y^T (rows x cols) into Y's rows, with and without a bias, clamped or not: rows below, at and above a
     * vector (16 lanes transpose 16 x 16 blocks, the last overlapping the one before or, 1 to 4 rows past the
     * last whole block, those rows one by one after a bias pass along them), column ranges
     * starting inside a tile and ending ragged (a ragged tile: the bias pass along its rows, then a copy).
     * Exact: the same adds and clamps; columns outside the range stay untouched.
     */
    @ParameterizedTest(name = "transposeBias float32 rows={0}")
    @ValueSource(ints = {1, 9, 15, 16, 17, 27, 36, 40, 49, 196})
    void transposeBiasMatchesScalarAndWritesOnlyItsColumns(int rows) {
        Random rnd = new Random(rows);
        for (int[] range : new int[][] {{0, 16, 16}, {0, 64, 64}, {16, 48, 80}, {32, 69, 70}, {0, 7, 7}}) {
            int from = range[0];
            int to = range[1];
            int cols = range[2];
            float[] t = random(rnd, rows * cols);
            t[rows * cols - 1] = Float.NaN; // the last column of the last row
            float[] bias = random(rnd, cols + 5);
            for (boolean withBias : new boolean[] {true, false}) {
                for (float[] clamp : new float[][] {{Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, 0.7f}}) {
                    float[] ys = new float[cols * rows + 3];
                    float[] yv = new float[cols * rows + 3];
                    java.util.Arrays.fill(ys, 7f);
                    java.util.Arrays.fill(yv, 7f);
                    float[] b = withBias ? bias : null;
                    // t is scratch to both: each gets its own copy
                    S.transposeBias(t.clone(), rows, cols, from, to, b, 5, clamp[0], clamp[1], ys, 3);
                    V.transposeBias(t.clone(), rows, cols, from, to, b, 5, clamp[0], clamp[1], yv, 3);
                    String what = "rows " + rows + ", columns [" + from + ", " + to + ") of " + cols + ", bias "
                            + withBias + ", clamp " + clamp[1];
                    assertThat(java.util.Arrays.equals(ys, yv)).as(what).isTrue();
                    int c = to - 1;
                    int r = rows / 2;
                    float want = Math.min(Math.max(t[r * cols + c] + (withBias ? bias[5 + c] : 0f), clamp[0]),
                            clamp[1]);
                    assertThat(Float.valueOf(yv[3 + c * rows + r])).as(what).isEqualTo(Float.valueOf(want)); // NaN too
                    for (int i = 0; i < yv.length; i++) {
                        boolean inRange = i >= 3 + from * rows && i < 3 + to * rows;
                        if (!inRange) {
                            assertThat(yv[i]).as(what + ", element %d outside the columns", i).isEqualTo(7f);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "copy float32 count={0}")
    @MethodSource("lengths")
    void copyMatchesScalarAndStaysInItsRange(int count) {
        Random rnd = new Random(count);
        float[] x = random(rnd, 5 + count);
        float[] ds = new float[count + 9];
        float[] dv = new float[count + 9];
        java.util.Arrays.fill(ds, Float.NaN);
        java.util.Arrays.fill(dv, Float.NaN);
        S.copy(x, 5, ds, 4, count);
        V.copy(x, 5, dv, 4, count);
        assertThat(dv).as("count %d", count).containsExactly(ds);
        assertThat(Float.isNaN(dv[3]) && Float.isNaN(dv[4 + count])).as("untouched around the run").isTrue();
        assertThat(dv[4 + count - 1]).isEqualTo(x[5 + count - 1]);
    }

    @ParameterizedTest(name = "everyOther float32 count={0}")
    @MethodSource("lengths")
    void everyOtherMatchesScalarUpToTheEndOfX(int count) {
        Random rnd = new Random(count);
        for (int past : new int[] {1, 2, 40}) { // x ends just past the last element read, or further on
            float[] x = random(rnd, 3 + 2 * count - 1 + past);
            float[] ys = new float[count + 4];
            float[] yv = new float[count + 4];
            S.everyOther(x, 3, ys, 2, count);
            V.everyOther(x, 3, yv, 2, count);
            assertThat(yv).as("count %d, %d floats past", count, past).containsExactly(ys);
            assertThat(ys[2 + count - 1]).isEqualTo(x[3 + 2 * (count - 1)]);
        }
    }

    /**
     * The rows of a padded plane: {w, wh, iLo, iHi} of 2x2, 4x4, 8x8 and 14x14 planes with pads 1,
     * rows of one to three vectors, pads of 2 on one side, none; x starting one float before the first
     * row's values (channel 0 with a left pad) and ending right after the last row; the store bound at
     * the rows' end or further on. The rows must match and nothing at or past the bound may change.
     */
    @ParameterizedTest(name = "paddedRows float32 {0}")
    @MethodSource("paddedRowShapes")
    void paddedRowsMatchScalarAndStopAtTheLimit(String shape, int w, int wh, int iLo, int iHi) {
        Random rnd = new Random(w * 31 + wh);
        for (float pad : new float[] {0f, Float.NEGATIVE_INFINITY}) {
            for (int rows : new int[] {1, 3, 16}) {
                for (int slack : new int[] {0, 5, 64}) {
                    int xOff = -iLo; // the first row's values start at x[0]
                    float[] x = random(rnd, (rows - 1) * w + iHi - iLo); // x[xOff + iLo] is x[0]
                    int dOff = 7;
                    int limit = dOff + rows * wh + slack;
                    float[] ds = new float[limit + 20];
                    float[] dv = new float[limit + 20];
                    java.util.Arrays.fill(ds, Float.NaN);
                    java.util.Arrays.fill(dv, Float.NaN);
                    S.paddedRows(x, xOff, w, ds, dOff, wh, rows, iLo, iHi, pad, limit);
                    V.paddedRows(x, xOff, w, dv, dOff, wh, rows, iLo, iHi, pad, limit);
                    String what = shape + " rows " + rows + " slack " + slack + " pad " + pad;
                    assertThat(java.util.Arrays.copyOfRange(dv, dOff, dOff + rows * wh)).as(what)
                            .containsExactly(java.util.Arrays.copyOfRange(ds, dOff, dOff + rows * wh));
                    assertThat(java.util.Arrays.copyOfRange(dv, limit, dv.length)).as(what + ", past the limit")
                            .containsOnly(Float.NaN);
                    assertThat(java.util.Arrays.copyOfRange(dv, 0, dOff)).as(what + ", before the rows")
                            .containsOnly(Float.NaN);
                    assertThat(ds[dOff + (rows - 1) * wh + iLo]).isEqualTo(x[xOff + (rows - 1) * w + iLo]);
                    assertThat(ds[dOff + wh - 1]).isEqualTo(iHi < wh ? pad : x[xOff + wh - 1]);
                }
            }
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> paddedRowShapes() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("2x2 pads 1", 2, 4, 1, 3),
                org.junit.jupiter.params.provider.Arguments.of("4x4 pads 1", 4, 6, 1, 5),
                org.junit.jupiter.params.provider.Arguments.of("8x8 pads 1", 8, 10, 1, 9),
                org.junit.jupiter.params.provider.Arguments.of("14x14 pads 1", 14, 16, 1, 15),
                org.junit.jupiter.params.provider.Arguments.of("16x16 pads 1", 16, 18, 1, 17),
                org.junit.jupiter.params.provider.Arguments.of("30 wide pads 1: two vectors", 30, 32, 1, 31),
                org.junit.jupiter.params.provider.Arguments.of("31 wide pads 1: more than two", 31, 33, 1, 32),
                org.junit.jupiter.params.provider.Arguments.of("5 wide, pad 2 left", 5, 8, 2, 7),
                org.junit.jupiter.params.provider.Arguments.of("6 wide, no pads", 6, 6, 0, 6));
    }

    /**
     * Winograd's transforms ({@link Winograd3x3}) on rows of tw tiles: the input transform's values of
     * every tile, and the output transform's Y, with a residual and a clamp, odd outputs (the last row
     * and column of tiles half outside) and nothing written past its limit.
     */
    @ParameterizedTest(name = "float32 tiles per row={0}")
    @ValueSource(ints = {1, 7, 14, 16, 20, 33})
    void winogradTransformsMatchScalar(int tw) {
        Random rnd = new Random(tw);
        int rows = 3;
        Phases tiles = new Phases(2 * rows, 2 * tw, 4, 4, 2, 2, 1, 1, rows, tw);
        int n = rows * tiles.wh;
        int nr = 32;
        int panels = (n + nr - 1) / nr;
        int channels = 3;
        int xiStride = panels * channels * nr + 16;
        float[] ph = random(rnd, 2 * channels * PanelIm2Col.phasePlane(tiles) + tiles.size);
        float[] vs = new float[16 * xiStride];
        float[] vv = new float[16 * xiStride];
        for (int c = 0; c < channels; c++) {
            int pOff = c * PanelIm2Col.phasePlane(tiles);
            S.winogradInput(ph, pOff, tiles.tapOffsets, n, vs, c * nr, xiStride, channels * nr, nr);
            V.winogradInput(ph, pOff, tiles.tapOffsets, n, vv, c * nr, xiStride, channels * nr, nr);
        }
        for (int xi = 0; xi < 16; xi++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < n; j++) {
                    int at = xi * xiStride + j / nr * channels * nr + c * nr + j % nr;
                    close("winogradInput xi " + xi + " channel " + c + " tile " + j, tw, vs[at], vv[at], vs[at]);
                }
            }
        }
        int ldc = n + 16;
        float[] mo = random(rnd, 16 * ldc + 64);
        int outW = 2 * tw - 1;
        int outRows = 2 * rows - 1;
        int yOff = 5;
        int limit = yOff + outRows * outW;
        float[] r = random(rnd, limit + 64);
        float[] ys = new float[limit + 64];
        java.util.Arrays.fill(ys, 7f); // past the limit: must stay
        float[] yv = ys.clone();
        float[] tmp = new float[64];
        S.winogradOutput(mo, 0, ldc, tiles.wh, tw, rows, 0.25f, ys, yOff, outW, outRows, r, -1f, 1.5f, limit, tmp, 0);
        V.winogradOutput(mo, 0, ldc, tiles.wh, tw, rows, 0.25f, yv, yOff, outW, outRows, r, -1f, 1.5f, limit, tmp, 0);
        compare("winogradOutput", tw, ys, yv);
        for (int i = limit; i < ys.length; i++) {
            assertThat(yv[i]).as("winogradOutput past its limit, element %d", i).isEqualTo(7f);
        }
    }

    private static void compare(String op, int len, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            close(op + " element " + i, len, want[i], got[i], want[i]);
        }
    }

    private static void close(String op, int len, float want, float got, float scale) {
        if (!(Math.abs(got - want) <= 1e-5 * (1 + Math.abs(scale))) && !(Float.isNaN(want) && Float.isNaN(got))) {
            fail(op + " float32 len=" + len + ": vector " + got + ", scalar " + want);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 4 - 2;
        }
        return v;
    }
}
