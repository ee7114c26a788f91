package dev.continuum.engine.internal.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed layouts give back exactly the floats they were packed from, whatever their padding. */
class PackedLayoutsTest {
    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    @Test
    void stripsAndPanelsUnpackToTheMatrixTheyWerePackedFrom() {
        Random rnd = new Random(5);
        for (int width : new int[] {1, 3, 8, 16, 17, 31, 32, 33, 48}) {
            for (int depth : new int[] {1, 5, 64}) {
                for (int step : new int[] {4, 6, 8, 16, 32}) { // strip heights and panel widths, ragged ends
                    String what = width + " x " + depth + " by " + step;
                    int ld = depth + 3; // a leading dimension wider than the rows, from an offset
                    float[] a = random(rnd, 7 + width * ld);
                    float[] back = new float[a.length];
                    PackedRows.pack(width, depth, a, 7, ld, step).unpackInto(back, 7, ld);
                    assertThat(rows(back, 7, ld, width, depth)).as("rows " + what)
                            .isEqualTo(rows(a, 7, ld, width, depth));

                    // W^T packed from W (width x depth): the k x n matrix with n = width
                    back = new float[a.length];
                    PackedMatrix.pack(true, depth, width, a, 7, ld, step).unpackTransposedInto(back, 7, ld);
                    assertThat(rows(back, 7, ld, width, depth)).as("transposed " + what)
                            .isEqualTo(rows(a, 7, ld, width, depth));

                    // B (depth x width) packed as it is
                    int ldb = width + 2;
                    float[] b = random(rnd, 7 + depth * ldb);
                    back = new float[b.length];
                    PackedMatrix.pack(false, depth, width, b, 7, ldb, step).unpackInto(back, 7, ldb);
                    assertThat(rows(back, 7, ldb, depth, width)).as("panels " + what)
                            .isEqualTo(rows(b, 7, ldb, depth, width));
                }
            }
        }
    }

    /** The rows x cols matrix at off with leading dimension ld, as rows. */
    private static float[][] rows(float[] m, int off, int ld, int rows, int cols) {
        float[][] r = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m, off + i * ld, r[i], 0, cols);
        }
        return r;
    }
}
