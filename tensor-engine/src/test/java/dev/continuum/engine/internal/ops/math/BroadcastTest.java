package dev.continuum.engine.internal.ops.math;

import static dev.continuum.engine.internal.ops.math.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The merged-run broadcast against the plain per-element index map of {@link Shapes#broadcastIndex}. */
class BroadcastTest {

    @Test
    void whereOverRandomShapesMatchesTheIndexMapReference() {
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int rank = random.nextInt(5);
            int[] out = new int[rank];
            for (int i = 0; i < rank; i++) {
                out[i] = 1 + random.nextInt(4);
            }
            int[] c = operandShape(out, random);
            int[] x = operandShape(out, random);
            int[] y = operandShape(out, random);
            Tensor cond = Tensor.ofBools(c, randomBools(Shapes.size(c), random));
            Tensor xs = Tensor.ofLongs(x, iota(Shapes.size(x), 0));
            Tensor ys = Tensor.ofLongs(y, iota(Shapes.size(y), 1000));
            Tensor actual = op("Where", 16).run(cond, xs, ys);
            int[] shape = Shapes.broadcast(c, x, y);
            assertThat(actual.shape()).isEqualTo(shape);
            assertThat(actual.longData()).as("Where %s %s %s", Shapes.str(c), Shapes.str(x), Shapes.str(y))
                    .isEqualTo(reference(cond, xs, ys, shape));
        }
    }

    private static long[] reference(Tensor cond, Tensor x, Tensor y, int[] shape) {
        int[] ci = Shapes.broadcastIndex(cond.dims(), shape);
        int[] xi = Shapes.broadcastIndex(x.dims(), shape);
        int[] yi = Shapes.broadcastIndex(y.dims(), shape);
        long[] r = new long[Shapes.size(shape)];
        for (int i = 0; i < r.length; i++) {
            r[i] = cond.byteData()[ci[i]] != 0 ? x.longData()[xi[i]] : y.longData()[yi[i]];
        }
        return r;
    }

    /** A shape that broadcasts to {@code out}: a suffix of it with some dims set to 1. */
    private static int[] operandShape(int[] out, Random random) {
        int[] s = Arrays.copyOfRange(out, random.nextInt(out.length + 1), out.length);
        for (int i = 0; i < s.length; i++) {
            if (random.nextInt(3) == 0) {
                s[i] = 1;
            }
        }
        return s;
    }

    private static boolean[] randomBools(int n, Random random) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            b[i] = random.nextBoolean();
        }
        return b;
    }

    private static long[] iota(int n, long start) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }
}
