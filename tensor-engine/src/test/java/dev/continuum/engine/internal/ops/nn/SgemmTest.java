package dev.continuum.engine.internal.ops.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.internal.ops.ExecContext;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The blocked sgemm against a naive triple loop in double precision. */
class SgemmTest {
    private static final int[] SIZES = {1, 7, 33, 130};

    @Test
    void blockedSgemmMatchesNaiveTripleLoopOnOddSizesAndEveryTranspose() {
        Random rnd = new Random(42);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    for (int t = 0; t < 4; t++) {
                        check(Sgemm.DEFAULT, rnd, t / 2 == 1, t % 2 == 1, m, n, k, 1.5f, 0.5f);
                    }
                }
            }
        }
    }

    @Test
    void blockedSgemmMatchesNaiveAcrossCacheBlockBoundaries() {
        Random rnd = new Random(7);
        // k > 256 and n > 512 cross the KC and NC blocks of BlockedSgemm.
        check(Sgemm.DEFAULT, rnd, false, false, 9, 600, 300, 1f, 0f);
        check(Sgemm.DEFAULT, rnd, true, true, 9, 600, 300, -0.5f, 1f);
    }

    @Test
    void betaZeroIgnoresNanInC() {
        float[] a = {1, 2};
        float[] b = {3, 4};
        float[] c = {Float.NaN};
        Sgemm.DEFAULT.sgemm(false, false, 1, 1, 2, 1f, a, 0, 2, b, 0, 1, 0f, c, 0, 1);
        assertThat(c).containsExactly(11f);
    }

    @Test
    void emptyInnerDimensionScalesCByBeta() {
        float[] c = {2f, 4f};
        Sgemm.DEFAULT.sgemm(false, false, 1, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0.5f, c, 0, 2);
        assertThat(c).containsExactly(1f, 2f);
    }

    @Test
    void parallelSplitsMatchTheSerialResult() {
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            ExecContext ctx = new ExecContext(pool, 4);
            Random rnd = new Random(3);
            for (int[] mnk : new int[][] {{130, 130, 33}, {1, 1000, 300}, {130, 7, 300}}) {
                int m = mnk[0];
                int n = mnk[1];
                int k = mnk[2];
                float[] a = random(rnd, m * k);
                float[] b = random(rnd, n * k);
                float[] serial = new float[m * n];
                float[] parallel = new float[m * n];
                Sgemm.DEFAULT.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, serial, 0, n);
                ParallelGemm.sgemm(ctx, false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, parallel, 0, n);
                assertThat(parallel).as("m=%d n=%d k=%d", m, n, k).containsExactly(serial);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Runs one product with offsets and padded leading dims, and compares with the naive loop. */
    private static void check(Sgemm g, Random rnd, boolean transA, boolean transB, int m, int n, int k,
                              float alpha, float beta) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 1;
        int ldc = n + 2;
        int aOff = 5;
        int bOff = 2;
        int cOff = 1;
        float[] a = random(rnd, aOff + aRows * lda);
        float[] b = random(rnd, bOff + bRows * ldb);
        float[] c = random(rnd, cOff + m * ldc);
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                expected[ci] = (float) (alpha * s + (beta == 0f ? 0 : beta * c[ci]));
            }
        }
        g.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        double tolerance = 1e-5 * k + 1e-6;
        for (int i = 0; i < c.length; i++) {
            if (Math.abs(c[i] - expected[i]) > tolerance * (1 + Math.abs(expected[i]))) {
                throw new AssertionError(String.format("sgemm float32 transA=%b transB=%b m=%d n=%d k=%d: element %d"
                        + " is %s, expected %s", transA, transB, m, n, k, i, c[i], expected[i]));
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = rnd.nextFloat() * 2 - 1;
        }
        return r;
    }

}
