package dev.continuum.engine.internal.ops.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.WorkerPool;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The float32 shape fast paths of Add/Sub/Mul/Div give exactly what the generic broadcast gives. */
class FloatFastPathTest {
    private static final WorkerPool POOL = new WorkerPool(1);

    @Test
    void fastPathsMatchTheGenericBroadcast() {
        int[][][] pairs = {
            {{2, 3}, {2, 3}}, {{5}, {}}, {{}, {5}}, {{3, 1}, {1, 1}}, {{1, 1}, {3, 1}}, {{192}, {16, 1, 192}},
            {{16, 1, 192}, {192}}, {{4, 64}, {1, 64}}, {{1, 7}, {3, 5, 7}}, {{3, 5, 7}, {5, 7}}, {{0, 4}, {4}},
            {{300, 333}, {333}}, {{300, 333}, {}}, {{300, 333}, {300, 333}},
        };
        ExecContext[] contexts = {ExecContext.serial(), new ExecContext(POOL, 2, new Arena())};
        for (int[][] p : pairs) {
            Random rnd = new Random(p[0].length * 10L + p[1].length);
            Tensor a = random(rnd, p[0]);
            Tensor b = random(rnd, p[1]);
            for (Arith fn : new Arith[] {Arith.ADD, Arith.SUB, Arith.MUL, Arith.DIV}) {
                Tensor want = Elementwise.binary(ExecContext.serial(), fn.name(), fn, a, b);
                for (ExecContext ctx : contexts) {
                    Tensor got = BinaryKernel.floatFast(ctx, FloatKernels.Op.of(fn), a, b);
                    String what = fn + " float32 " + java.util.Arrays.toString(p[0]) + " with "
                            + java.util.Arrays.toString(p[1]);
                    assertThat(got).as(what + " takes a fast path").isNotNull();
                    assertThat(got.dims()).as(what).isEqualTo(want.dims());
                    assertThat(got.floatData()).as(what).isEqualTo(want.floatData());
                }
            }
        }
    }

    @Test
    void aMiddleAxisBroadcastIsLeftToTheGenericPath() {
        Tensor a = Tensor.ofFloats(new int[] {2, 3}, new float[6]);
        Tensor b = Tensor.ofFloats(new int[] {2, 1}, new float[2]);

        assertThat(BinaryKernel.floatFast(ExecContext.serial(), FloatKernels.Op.ADD, a, b)).isNull();
    }

    @Test
    void trailingMeansLeadingOnesThenTheLastDims() {
        assertThat(BinaryKernel.isTrailing(new int[] {1, 64}, new int[] {4, 64})).isTrue();
        assertThat(BinaryKernel.isTrailing(new int[] {5, 7}, new int[] {3, 5, 7})).isTrue();
        assertThat(BinaryKernel.isTrailing(new int[] {3, 1}, new int[] {2, 3})).isFalse();
        assertThat(BinaryKernel.isTrailing(new int[] {1, 1, 7}, new int[] {3, 7})).isFalse();
    }

    private static Tensor random(Random rnd, int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 4 - 2;
        }
        return Tensor.ofFloats(shape, v);
    }
}
