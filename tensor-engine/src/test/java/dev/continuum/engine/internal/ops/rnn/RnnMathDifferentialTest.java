package dev.continuum.engine.internal.ops.rnn;

import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.continuum.engine.internal.gemm.Simd;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API {@link RnnMath} against the scalar reference (double-precision exp and tanh) on odd
 * sizes and offsets. Tolerances: sigmoid and tanh within 2e-7 absolute plus 4e-7 relative (the
 * vector tanh is a clamped rational approximation; sigmoid from it loses about one float ulp of 1
 * where it is tiny); gemvAdd within
 * 1e-5 of the sum of magnitudes (FMA versus multiply-then-add, different summation order).
 */
class RnnMathDifferentialTest {
    private static final RnnMath SCALAR = RnnMath.scalar();

    private static RnnMath vector() {
        assumeThat(Simd.enabled()).as("Vector API enabled").isTrue();
        RnnMath m = RnnMath.get();
        assumeThat(m).isNotSameAs(SCALAR);
        return m;
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 8, 9, 31, 33, 100, 257})
    void vectorSigmoidAndTanhMatchTheScalarReference(int n) {
        RnnMath v = vector();
        Random rnd = new Random(n);
        int off = 3;
        float[] x = new float[off + n + 2];
        for (int i = 0; i < x.length; i++) {
            double s = i % 5 == 0 ? 40 : i % 3 == 0 ? 0.01 : 4;
            x[i] = (float) (rnd.nextGaussian() * s);
        }
        x[off] = 0f;
        if (n > 2) {
            x[off + 1] = 100f;
            x[off + 2] = -100f;
        }
        for (String op : new String[] {"sigmoid", "tanh"}) {
            float[] want = x.clone();
            float[] got = x.clone();
            if (op.equals("sigmoid")) {
                SCALAR.sigmoid(want, off, n);
                v.sigmoid(got, off, n);
            } else {
                SCALAR.tanh(want, off, n);
                v.tanh(got, off, n);
            }
            for (int i = 0; i < x.length; i++) {
                double tol = 2e-7 + 4e-7 * Math.abs(want[i]);
                if (!(Math.abs(got[i] - want[i]) <= tol)) {
                    fail("%s float32 shape [%d]: element %d of input %s gave %s, scalar reference %s", op, n,
                            i - off, x[i], got[i], want[i]);
                }
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 5, 8, 13, 32, 33, 96, 100, 131})
    void vectorGemvAddMatchesTheScalarReference(int n) {
        RnnMath v = vector();
        for (int k : new int[] {1, 3, 17, 32}) {
            Random rnd = new Random(31L * n + k);
            int ldb = n + 5;
            float[] x = random(rnd, 2 + k);
            float[] b = random(rnd, 4 + k * ldb);
            float[] out = random(rnd, 1 + n + 3);
            float[] want = out.clone();
            float[] got = out.clone();
            SCALAR.gemvAdd(x, 2, k, b, 4, ldb, n, want, 1);
            v.gemvAdd(x, 2, k, b, 4, ldb, n, got, 1);
            for (int i = 0; i < out.length; i++) {
                boolean inside = i >= 1 && i < 1 + n;
                double mag = Math.abs(out[i]);
                for (int kk = 0; inside && kk < k; kk++) {
                    mag += Math.abs(x[2 + kk] * b[4 + kk * ldb + i - 1]);
                }
                double tol = inside ? 1e-5 * (1 + mag) : 0;
                if (!(Math.abs(got[i] - want[i]) <= tol)) {
                    fail("gemvAdd float32 x[%d] * b[%d, %d]: out[%d] = %s, scalar reference %s", k, k, n, i - 1,
                            got[i], want[i]);
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
