package dev.continuum.engine.internal.ops.nn;

import static org.assertj.core.api.Assertions.fail;

import dev.continuum.engine.internal.ops.ExecContext;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PanelIm2Col} against the row-major reference {@link Im2Col#im2col}: every panel float is
 * the reference column value of its (row, output position), zero past the block. Exact equality
 * (both only copy). Cases: 1x1 to 7x7 kernels, strides 1-2, pads 0-3, dilation 2, blocks that start
 * mid-row and end in a partial panel, panel widths 8 and 16.
 */
class PanelIm2ColTest {
    /** c, h, w, k, stride, pad, dilation, n0, len, nr. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(3, 64, 64, 7, 2, 3, 1, 0, 1024, 16),
                Arguments.of(16, 16, 16, 3, 1, 1, 1, 0, 256, 16),
                Arguments.of(16, 16, 16, 3, 2, 1, 1, 16, 48, 16),
                Arguments.of(6, 14, 14, 5, 1, 0, 1, 0, 100, 16),
                Arguments.of(1, 32, 32, 5, 1, 0, 1, 37, 500, 16),
                Arguments.of(5, 9, 7, 3, 1, 1, 2, 3, 29, 8),
                Arguments.of(4, 3, 3, 3, 1, 1, 1, 0, 9, 16),
                Arguments.of(2, 11, 13, 1, 2, 0, 1, 5, 30, 16),
                Arguments.of(3, 6, 20, 3, 2, 2, 1, 1, 25, 8),
                Arguments.of(8, 2, 2, 3, 1, 1, 1, 0, 4, 16), // tiny planes: zeroed, then copied value by value
                Arguments.of(3, 4, 4, 3, 1, 2, 1, 0, 36, 16),
                Arguments.of(2, 3, 4, 3, 2, 1, 1, 0, 4, 8),
                // padded rows of one vector: zeroed, then the image rows by vector stores
                Arguments.of(5, 8, 8, 3, 1, 1, 1, 0, 64, 16),
                Arguments.of(3, 14, 14, 3, 1, 1, 1, 0, 196, 16),
                Arguments.of(2, 7, 9, 3, 1, 2, 1, 5, 40, 8),
                Arguments.of(2, 5, 5, 3, 1, 2, 2, 0, 25, 8));
    }

    @ParameterizedTest(name = "im2col panels float32 x=(1,{0},{1},{2}) k={3} stride={4} pad={5} dilation={6} positions [{7}, +{8}) nr={9}")
    @MethodSource("cases")
    void panelsHoldTheReferenceColumnsOfTheBlock(int c, int h, int w, int k, int stride, int pad, int dilation, int n0,
                                                 int len, int nr) {
        ConvGeometry g = new ConvGeometry(new int[] {h, w}, new int[] {k, k}, new int[] {stride, stride},
                new int[] {dilation, dilation}, new int[] {pad, pad}, new int[] {pad, pad},
                new int[] {(h + 2 * pad - (k - 1) * dilation - 1) / stride + 1,
                        (w + 2 * pad - (k - 1) * dilation - 1) / stride + 1});
        int outSize = g.outSize();
        len = Math.min(len, outSize - n0);
        int rows = c * k * k;
        Random rnd = new Random(c * 1000L + h + k);
        int xOff = 7;
        float[] x = new float[xOff + c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() + 0.5f; // never zero, so a missed copy shows
        }
        float[] col = new float[rows * outSize];
        Im2Col.im2col(ExecContext.serial(), g, x, xOff, c, col);
        int panels = (len + nr - 1) / nr;
        int dOff = 3;
        String what = "im2col panels float32 x=(1," + c + "," + h + "," + w + ") k=" + k + " stride=" + stride
                + " pad=" + pad + " dilation=" + dilation + " positions [" + n0 + ", +" + len + ") nr=" + nr;
        float[] got = new float[dOff + panels * rows * nr + 2];
        Arrays.fill(got, Float.NaN);
        PanelIm2Col.fill(g, x, xOff, c, n0, len, got, dOff, nr);
        check(what, col, outSize, rows, n0, len, nr, got, dOff);
        if (n0 == 0 && len == outSize) { // every position: the narrow outputs' gather
            float[] narrow = new float[got.length];
            Arrays.fill(narrow, Float.NaN);
            float[] xz = new float[c * (h * w + 1)];
            Arrays.fill(xz, Float.NaN);
            int[] table = PanelIm2Col.narrowTable(g, nr);
            int narrowPanels = table.length / (k * k * nr);
            // in two ranges each, as two threads split them
            PanelIm2Col.copyGuarded(x, xOff, h * w, 0, c / 2, xz);
            PanelIm2Col.copyGuarded(x, xOff, h * w, c / 2, c, xz);
            PanelIm2Col.gatherNarrow(table, k * k, nr, xz, h * w, c, 0, narrowPanels / 2, narrow, dOff);
            PanelIm2Col.gatherNarrow(table, k * k, nr, xz, h * w, c, narrowPanels / 2, narrowPanels, narrow, dOff);
            check(what + " (narrow)", col, outSize, rows, n0, len, nr, narrow, dOff);
        }
        Phases ph = Phases.of(g);
        if (ph != null) {
            float[] phases = new float[2 + c * PanelIm2Col.phasePlane(ph)];
            Arrays.fill(phases, Float.NaN); // every value read must have been written, the pads too
            PanelIm2Col.fillPhases(ph, x, xOff, c, phases, 2);
            float[] viaPhases = new float[got.length];
            Arrays.fill(viaPhases, Float.NaN);
            PanelIm2Col.fromPhases(ph, k * k, phases, 2, c, n0, len, viaPhases, dOff, nr);
            check(what + " (from phases)", col, outSize, rows, n0, len, nr, viaPhases, dOff);
        }
    }

    private static void check(String what, float[] col, int outSize, int rows, int n0, int len, int nr, float[] got,
                              int dOff) {
        int panels = (len + nr - 1) / nr;
        for (int p = 0; p < panels; p++) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < nr; j++) {
                    int q = p * nr + j;
                    float want = q < len ? col[r * outSize + n0 + q] : 0f;
                    float have = got[dOff + p * rows * nr + r * nr + j];
                    if (Float.compare(have, want) != 0) {
                        fail(what + ": panel " + p + " row " + r + " column " + j + " is " + have + ", expected " + want);
                    }
                }
            }
        }
        if (!Float.isNaN(got[dOff - 1]) || !Float.isNaN(got[dOff + panels * rows * nr])) {
            fail(what + ": wrote outside its panels");
        }
    }
}
