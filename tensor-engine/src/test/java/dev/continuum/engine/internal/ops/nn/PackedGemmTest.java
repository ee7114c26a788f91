package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.WorkerPool;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gemm and MatMul specialised for a constant B (packed once) against their generic kernels, on odd
 * shapes, serial and on 2 threads. Tolerance: |got - want| <= 1e-4 * (1 + |want|).
 */
class PackedGemmTest {
    private static final WorkerPool POOL = new WorkerPool(1);

    @Test
    void matMulWithConstantBMatchesGeneric() {
        Random rnd = new Random(3);
        int[][] aShapes = {{7}, {5, 7}, {2, 3, 7}, {1, 2, 33, 7}};
        for (int[] as : aShapes) {
            int size = 1;
            for (int d : as) {
                size *= d;
            }
            Tensor a = Tensor.ofFloats(as, FastConvTest.random(rnd, size));
            Tensor b = Tensor.ofFloats(new int[] {7, 19}, FastConvTest.random(rnd, 7 * 19));
            check("MatMul", kernel("MatMul", 13, 2, 1), new Tensor[] {a, b});
        }
    }

    @Test
    void gemmWithConstantBMatchesGeneric() {
        Random rnd = new Random(5);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            int m = 9;
            int k = 13;
            int n = 21;
            Tensor a = Tensor.ofFloats(ta ? new int[] {k, m} : new int[] {m, k}, FastConvTest.random(rnd, m * k));
            Tensor b = Tensor.ofFloats(tb ? new int[] {n, k} : new int[] {k, n}, FastConvTest.random(rnd, k * n));
            Tensor c = Tensor.ofFloats(new int[] {n}, FastConvTest.random(rnd, n));
            Tensor c2 = Tensor.ofFloats(new int[] {m, 1}, FastConvTest.random(rnd, m));
            for (Tensor cc : new Tensor[] {c, c2}) {
                Kernel g = kernel("Gemm", 13, 3, 1, NnTesting.i("transA", ta ? 1 : 0), NnTesting.i("transB", tb ? 1 : 0),
                        NnTesting.f("alpha", 0.5f), NnTesting.f("beta", 2f),
                        NnTesting.s(dev.continuum.engine.internal.ops.FusedActivation.ATTR_ACTIVATION, "Relu"));
                check("Gemm transA=" + ta + " transB=" + tb, g, new Tensor[] {a, b, cc});
            }
        }
    }

    private static void check(String op, Kernel generic, Tensor[] in) {
        Tensor want = generic.compute(ExecContext.serial(), in)[0];
        Kernel special = generic.specialize(FastConvTest.context(in));
        org.assertj.core.api.Assertions.assertThat(special).as(op).isNotSameAs(generic);
        Arena arena = new Arena();
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2, arena)}) {
            Tensor got = special.compute(ctx, in)[0];
            String what = op + " float32 A=" + java.util.Arrays.toString(in[0].dims()) + " B="
                    + java.util.Arrays.toString(in[1].dims()) + " threads=" + ctx.threads();
            org.assertj.core.api.Assertions.assertThat(got.dims()).as(what).isEqualTo(want.dims());
            FastConvTest.compare(what, got.floatData(), want.floatData());
        }
    }
}
