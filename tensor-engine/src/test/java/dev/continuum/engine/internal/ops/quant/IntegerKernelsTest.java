package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.TestNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import org.junit.jupiter.api.Test;

/**
 * MatMulInteger, QLinearMatMul, ConvInteger and QLinearConv. Expected values come from numpy
 * ({@code (A - za) @ (B - zb)}, a padded strided 2x2 correlation, and the ONNX reference
 * requantization {@code clip(rint(acc * (s_a * s_b / s_y)) + z_y)}), noted beside each table.
 */
class IntegerKernelsTest {

    private static Tensor run(Kernel k, Tensor... inputs) {
        return k.compute(ExecContext.serial(), inputs)[0];
    }

    private static Tensor u8(int[] shape, int... v) {
        return QuantType.UINT8.tensor(shape, v);
    }

    private static Tensor i8(int[] shape, int... v) {
        return QuantType.INT8.tensor(shape, v);
    }

    private static Tensor f(float v) {
        return Tensor.ofFloats(new int[0], v);
    }

    @Test
    void matMulIntegerWithPerRowZeroPointOfA() {
        Kernel mm = new MatMulInteger(TestNodes.op("MatMulInteger").node(10));

        Tensor y = run(mm, u8(new int[] {2, 3}, 1, 2, 3, 4, 5, 6), u8(new int[] {3, 2}, 7, 8, 9, 10, 11, 12),
                u8(new int[] {2}, 1, 2), u8(new int[0], 3));

        // numpy: (A - [[1], [2]]) @ (B - 3) = [[22, 25], [58, 67]]
        assertThat(y.dataType()).isEqualTo(DataType.INT32);
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.intData()).containsExactly(22, 25, 58, 67);
    }

    @Test
    void matMulIntegerWithAnEmptyDim() {
        Kernel mm = new MatMulInteger(TestNodes.op("MatMulInteger").node(10));

        Tensor y = run(mm, u8(new int[] {0, 3}), u8(new int[] {3, 2}, 1, 2, 3, 4, 5, 6));

        assertThat(y.shape()).containsExactly(0, 2);
    }

    @Test
    void qlinearMatMulPromotesAVectorAndRequantizes() {
        Kernel mm = new QLinearMatMul(TestNodes.op("QLinearMatMul").node(10));

        Tensor y = run(mm, i8(new int[] {3}, -3, 4, 10), f(0.5f), i8(new int[0], 2),
                i8(new int[] {3, 2}, 1, -2, 3, 4, -5, 6), f(0.25f), i8(new int[0], 0), f(0.2f), i8(new int[0], -1));

        // acc = ([-3, 4, 10] - 2) @ b = [-39, 66]; * 0.625 = [-24.375, 41.25]; rint - 1 = [-25, 40]
        assertThat(y.shape()).containsExactly(2);
        assertThat(QuantType.read(y)).containsExactly(-25, 40);
    }

    @Test
    void convIntegerPadsWithTheZeroPoint() {
        Kernel conv = new ConvInteger(TestNodes.op("ConvInteger").ints("pads", 1, 1, 1, 1).ints("strides", 2, 2).node(10));

        Tensor y = run(conv, u8(new int[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9), u8(new int[] {1, 1, 2, 2}, 1, 2, 3, 4),
                u8(new int[0], 1));

        // numpy: pad(x - 1, 1) correlated with [[1, 2], [3, 4]] at stride 2 = [[0, 11], [30, 67]]
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        assertThat(y.intData()).containsExactly(0, 11, 30, 67);
    }

    @Test
    void qlinearConvWithPerChannelWeightScalesAndBias() {
        Kernel conv = new QLinearConv(TestNodes.op("QLinearConv").node(10));

        Tensor y = run(conv, u8(new int[] {1, 1, 2, 2}, 2, 4, 6, 250), f(0.5f), u8(new int[0], 2),
                i8(new int[] {2, 1, 1, 1}, 3, -2), Tensor.ofFloats(new int[] {2}, 0.1f, 0.2f), i8(new int[] {2}, 0, 0),
                f(0.25f), u8(new int[0], 100), Tensor.ofInts(new int[] {2}, 10, -4));

        // channel 0: acc = [0, 2, 4, 248] * 3 + 10, * 0.2, rint + 100 -> [102, 103, 104, 251]
        // channel 1: acc = [0, 2, 4, 248] * -2 - 4, * 0.4, rint + 100 -> [98, 97, 95, 0 (saturated)]
        assertThat(y.shape()).containsExactly(1, 2, 2, 2);
        assertThat(QuantType.read(y)).containsExactly(102, 103, 104, 251, 98, 97, 95, 0);
    }

    @Test
    void unknownAutoPadIsRejectedNamingTheAttribute() {
        assertThatThrownBy(() -> new QLinearConv(TestNodes.op("QLinearConv").s("auto_pad", "SAME").node(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'auto_pad' must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got 'SAME'");
    }

    @Test
    void kernelShapeNotMatchingTheWeightsIsRejected() {
        Kernel conv = new ConvInteger(TestNodes.op("ConvInteger").ints("kernel_shape", 3, 3, 3).node(10));

        assertThatThrownBy(() -> run(conv, u8(new int[] {1, 1, 3, 3}, new int[9]), u8(new int[] {1, 1, 2, 2}, new int[4])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'kernel_shape' [3,3,3] does not match the weight's kernel [2,2] (input has 2 spatial dims)");
    }

    @Test
    void int16MatMulIntegerIsUnsupported() {
        Kernel mm = new MatMulInteger(TestNodes.op("MatMulInteger").node(10));
        Tensor a = QuantType.INT16.tensor(new int[] {1, 1}, new int[] {1});

        assertThatThrownBy(() -> run(mm, a, a))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("MatMulInteger does not support int16 input 'A'");
    }
}
