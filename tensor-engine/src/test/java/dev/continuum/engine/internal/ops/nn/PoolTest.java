package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.i;
import static dev.continuum.engine.internal.ops.nn.NnTesting.ints;
import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;
import static dev.continuum.engine.internal.ops.nn.NnTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.internal.ops.WorkerPool;
import dev.continuum.engine.onnx.AttributeProto;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MaxPool, AveragePool and the global pools; expected values from a numpy loop over the padded input. */
class PoolTest {
    /** (1,1,3,4). */
    private static Tensor x() {
        return Tensor.ofFloats(new int[] {1, 1, 3, 4}, 1, 5, 2, 0, 3, -1, 7, 4, 6, 2, 8, 1);
    }

    @Test
    void maxPoolWithPadsReturnsRowMajorIndices() {
        Kernel k = kernel("MaxPool", 12, 1, 2, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        Tensor[] out = run(k, x());
        assertThat(out[0].shape()).containsExactly(1, 1, 2, 3);
        assertThat(out[0].floatData()).containsExactly(1f, 5f, 0f, 6f, 8f, 4f);
        assertThat(out[1].longData()).containsExactly(0L, 1L, 3L, 8L, 10L, 7L);
    }

    @Test
    void the2x2Stride2PathMatchesTheGeneralPoolOnOddAndEvenPlanes() {
        java.util.Random random = new java.util.Random(7);
        int[][] planes = {{4, 4}, {5, 7}, {28, 28}, {10, 10}, {2, 3}, {3, 2}, {9, 5}, {33, 32}, {7, 40}, {6, 12}};
        for (int[] hw : planes) {
            for (int ceil = 0; ceil <= 1; ceil++) {
                float[] data = new float[2 * 3 * hw[0] * hw[1]];
                for (int j = 0; j < data.length; j++) {
                    data[j] = (float) random.nextGaussian();
                }
                Tensor x = Tensor.ofFloats(new int[] {2, 3, hw[0], hw[1]}, data);
                Kernel direct = kernel("MaxPool", 12, 1, 1, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                        i("ceil_mode", ceil));
                Kernel general = kernel("MaxPool", 12, 1, 2, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                        i("ceil_mode", ceil)); // the Indices output takes the general path
                Tensor fast = run(direct, x)[0];
                Tensor reference = run(general, x)[0];
                assertThat(fast.shape()).as("plane %dx%d ceil_mode %d", hw[0], hw[1], ceil)
                        .containsExactly(reference.shape());
                assertThat(fast.floatData()).as("plane %dx%d ceil_mode %d", hw[0], hw[1], ceil)
                        .containsExactly(reference.floatData());
            }
        }
    }

    @Test
    void the3x3Stride2PoolSplitOverTwoThreadsMatchesTheGeneralPool() {
        // resnet's stem pool at a quarter of its channels: 16 planes of 112x112 onto 56x56, enough
        // outputs to split over the threads; the general pool (asked for indices) is the reference
        Random rnd = new Random(7);
        int[] dims = {1, 16, 112, 112};
        float[] data = new float[16 * 112 * 112];
        for (int j = 0; j < data.length; j++) {
            data[j] = rnd.nextFloat() * 2 - 1;
        }
        Tensor x = Tensor.ofFloats(dims, data);
        AttributeProto[] attrs = {ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)};
        float[] want = kernel("MaxPool", 12, 1, 2, attrs).compute(ExecContext.serial(), new Tensor[] {x})[0]
                .floatData();
        WorkerPool pool = new WorkerPool(1);
        try {
            Tensor got = kernel("MaxPool", 12, 1, 1, attrs).compute(new ExecContext(pool, 2), new Tensor[] {x})[0];
            assertThat(got.shape()).containsExactly(1, 16, 56, 56);
            assertThat(got.floatData()).containsExactly(want);
        } finally {
            pool.close();
        }
    }

    @Test
    void maxPoolStorageOrderOneGivesColumnMajorIndices() {
        Kernel k = kernel("MaxPool", 12, 1, 2, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1), i("storage_order", 1));
        assertThat(run(k, x())[1].longData()).containsExactly(0L, 3L, 9L, 2L, 8L, 10L);
    }

    @Test
    void maxPoolOnUint8ReadsValuesAsUnsigned() {
        Kernel k = kernel("MaxPool", 12, ints("kernel_shape", 2));
        Tensor u8 = Tensor.of(DataType.UINT8, new int[] {1, 1, 3}, new byte[] {(byte) 200, 3, (byte) 255});
        Tensor y = run(k, u8)[0];
        assertThat(y.byteData()).containsExactly((byte) 200, (byte) 255);
    }

    @Test
    void maxPoolOnDoublesKeepsDoublePrecisionAndIndices() {
        Kernel k = kernel("MaxPool", 12, 1, 2, ints("kernel_shape", 2));
        Tensor xd = Tensor.of(DataType.DOUBLE, new int[] {1, 1, 3}, new double[] {1.0, 1.0 + 1e-12, 0.5});
        Tensor[] out = run(k, xd);
        assertThat(out[0].doubleData()).containsExactly(1.0 + 1e-12, 1.0 + 1e-12);
        assertThat(out[1].longData()).containsExactly(1L, 1L);
    }

    @Test
    void averagePoolCountsPaddingOnlyWhenAsked() {
        Kernel incl = kernel("AveragePool", 19, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1), i("count_include_pad", 1));
        Kernel excl = kernel("AveragePool", 19, ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        assertThat(run(incl, x())[0].floatData()).containsExactly(new float[] {0.25f, 1.75f, 0f, 2.25f, 4f, 1.25f},
                within(1e-6f));
        assertThat(run(excl, x())[0].floatData()).containsExactly(new float[] {1f, 3.5f, 0f, 4.5f, 4f, 2.5f},
                within(1e-6f));
    }

    @Test
    void ceilModeAddsAPartialWindowButNotOneStartingInThePadding() {
        // Length 5, kernel 2, stride 2: ceil adds a partial window [5] (PyTorch ceil_mode=True: 1.5, 3.5, 5).
        Kernel ceil = kernel("AveragePool", 22, ints("kernel_shape", 2), ints("strides", 2), i("ceil_mode", 1));
        assertThat(run(ceil, Tensor.ofFloats(new int[] {1, 1, 5}, 1, 2, 3, 4, 5))[0].floatData())
                .containsExactly(1.5f, 3.5f, 5f);
        // Length 4 with pads (0, 1): a third window would start at 4, in the end padding, so it is dropped.
        Kernel padded = kernel("AveragePool", 22, ints("kernel_shape", 2), ints("strides", 2), ints("pads", 0, 1),
                i("ceil_mode", 1));
        assertThat(run(padded, Tensor.ofFloats(new int[] {1, 1, 4}, 1, 2, 3, 4))[0].floatData())
                .containsExactly(1.5f, 3.5f);
    }

    @Test
    void globalPoolsReduceEverySpatialDim() {
        Tensor t = Tensor.ofFloats(new int[] {1, 2, 2, 1}, 1, 3, -2, 5);
        assertThat(run(kernel("GlobalAveragePool", 22), t)[0].floatData()).containsExactly(2f, 1.5f);
        Tensor m = run(kernel("GlobalMaxPool", 1), t)[0];
        assertThat(m.shape()).containsExactly(1, 2, 1, 1);
        assertThat(m.floatData()).containsExactly(3f, 5f);
    }

    @Test
    void emptyChannelsGiveAnEmptyOutput() {
        Kernel k = kernel("MaxPool", 22, ints("kernel_shape", 2, 2));
        Tensor y = run(k, Tensor.zeros(DataType.FLOAT, 1, 0, 3, 4))[0];
        assertThat(y.shape()).containsExactly(1, 0, 2, 3);
    }

    @Test
    void missingKernelShapeIsRejectedNamingTheAttribute() {
        assertThatThrownBy(() -> kernel("AveragePool", 22, ints("strides", 2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kernel_shape'");
    }

    @Test
    void inferredShapeFollowsTheOutputFormulaAndKeepsUnknownDims() {
        Kernel k = kernel("MaxPool", 22, 1, 2, ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1));
        ValueType[] t = k.inferTypes(types(ValueType.of(DataType.FLOAT, -1, 8, 15, -1)));
        assertThat(t[0].shape()).containsExactly(-1, 8, 8, -1);
        assertThat(t[1].type()).isEqualTo(DataType.INT64);
    }

    static TypeContext types(ValueType... in) {
        return new TypeContext() {
            @Override
            public int inputCount() {
                return in.length;
            }

            @Override
            public ValueType input(int i) {
                return i < in.length ? in[i] : ValueType.unknown();
            }

            @Override
            public Tensor constant(int i) {
                return null;
            }

            @Override
            public boolean hasInput(int i) {
                return i < in.length;
            }
        };
    }
}
