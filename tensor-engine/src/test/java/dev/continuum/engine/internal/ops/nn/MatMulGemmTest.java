package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.f;
import static dev.continuum.engine.internal.ops.nn.NnTesting.i;
import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;
import static dev.continuum.engine.internal.ops.nn.NnTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

/** MatMul and Gemm; expected values from numpy ({@code a @ b}, {@code alpha * A.T @ B.T + beta * C}). */
class MatMulGemmTest {

    @Test
    void int64MatMulBroadcastsBatchDimsLikeNumpy() {
        long[] a = new long[12];
        for (int j = 0; j < 12; j++) {
            a[j] = j - 5;
        }
        long[] b = new long[18];
        for (int j = 0; j < 18; j++) {
            b[j] = j % 5 - 2;
        }
        Tensor y = run(kernel("MatMul", 13, 2, 1), Tensor.ofLongs(new int[] {2, 1, 2, 3}, a),
                Tensor.ofLongs(new int[] {3, 3, 2}, b))[0];
        assertThat(y.shape()).containsExactly(2, 3, 2, 2);
        assertThat(y.longData()).containsExactly(4L, 7L, 4L, 1L, 7L, -5L, 1L, -2L, -5L, 3L, -2L, 0L,
                4L, -5L, 4L, -11L, -5L, 1L, -11L, 4L, 1L, -3L, 4L, -6L);
    }

    @Test
    void floatVectorTimesMatrixDropsTheVectorDim() {
        Tensor y = run(kernel("MatMul", 13, 2, 1), Tensor.ofFloats(new int[] {3}, 1, -2, 0.5f),
                Tensor.ofFloats(new int[] {3, 2}, 0, 1, 2, 3, 4, 5))[0];
        assertThat(y.shape()).containsExactly(2);
        assertThat(y.floatData()).containsExactly(-2f, -2.5f);
    }

    @Test
    void matMulWithEmptyInnerDimGivesZeros() {
        Tensor y = run(kernel("MatMul", 13, 2, 1), Tensor.zeros(DataType.FLOAT, 2, 0), Tensor.zeros(DataType.FLOAT, 0, 3))[0];
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floatData()).containsOnly(0f);
    }

    @Test
    void matMulInfersBroadcastShapesWithUnknownDims() {
        Kernel k = kernel("MatMul", 13, 2, 1);
        ValueType[] t = k.inferTypes(PoolTest.types(ValueType.of(DataType.FLOAT, -1, 1, 4, 8),
                ValueType.of(DataType.FLOAT, 5, 8, 16)));
        assertThat(t[0].shape()).containsExactly(-1, 5, 4, 16);
    }

    @Test
    void matMulInnerDimMismatchNamesBothShapes() {
        assertThatThrownBy(() -> run(kernel("MatMul", 13, 2, 1), Tensor.zeros(DataType.FLOAT, 2, 3),
                Tensor.zeros(DataType.FLOAT, 4, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A [2,3], B [4,2]");
    }

    @Test
    void gemmWithTransposesAlphaBetaAndVectorBiasMatchesNumpy() {
        Kernel k = kernel("Gemm", 13, 3, 1, i("transA", 1), i("transB", 1), f("alpha", 0.5f), f("beta", 2f));
        Tensor a = Tensor.ofFloats(new int[] {3, 2}, 0, 0.5f, 1, 1.5f, 2, 2.5f);
        Tensor b = Tensor.ofFloats(new int[] {4, 3}, NnTesting.ramp(12, 1, -4));
        Tensor c = Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4);
        Tensor y = run(k, a, b, c)[0];
        assertThat(y.shape()).containsExactly(2, 4);
        assertThat(y.floatData()).containsExactly(new float[] {-1.5f, 5f, 11.5f, 18f, -3.75f, 5f, 13.75f, 22.5f},
                within(1e-5f));
    }

    /**
     * A Gemm with a constant B keeps B packed only (the graph passes null for it); an A of the wrong width
     * goes to the generic kernel with B unpacked, which names both shapes; either transB.
     */
    @Test
    void packedGemmNeedsNoBAtRunAndNamesAWrongA() {
        Tensor b = Tensor.ofFloats(new int[] {3, 5}, NnTesting.ramp(15, 0.5f, -3));
        Tensor c = Tensor.ofFloats(new int[] {5}, 1, 2, 3, 4, 5);
        Tensor a = Tensor.ofFloats(new int[] {2, 3}, NnTesting.ramp(6, 1, -2));
        for (int transB : new int[] {0, 1}) {
            Tensor bt = transB == 0 ? b : Tensor.ofFloats(new int[] {5, 3}, transpose(b.floatData(), 3, 5));
            Kernel generic = kernel("Gemm", 13, 3, 1, i("transB", transB));
            Kernel packed = generic.specialize(FastConvTest.context(new Tensor[] {a, bt, c}));
            assertThat(packed.readsAtRun(1)).as("transB=%d", transB).isFalse();
            assertThat(run(packed, a, null, c)[0].floatData()).as("transB=%d", transB)
                    .containsExactly(run(generic, a, bt, c)[0].floatData());
            Tensor wide = Tensor.ofFloats(new int[] {2, 4}, new float[8]);
            assertThatThrownBy(() -> run(packed, wide, null, c)).as("transB=%d", transB)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(catchMessage(() -> run(generic, wide, bt, c)));
        }
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                t[col * rows + r] = m[r * cols + col];
            }
        }
        return t;
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void gemmTransposeFlagMustBeZeroOrOne() {
        assertThatThrownBy(() -> kernel("Gemm", 13, 3, 1, i("transA", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'transA' must be 0 or 1");
    }
}
