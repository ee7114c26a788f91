package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.TestNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import org.junit.jupiter.api.Test;

/**
 * QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear. Expected values follow the ONNX
 * reference formulas evaluated with numpy ({@code np.clip(np.rint(x / s) + zp, lo, hi)},
 * {@code (x - zp) * s}); the arithmetic is spelled out beside each table.
 */
class QuantizeKernelsTest {

    private static Tensor run(Kernel k, Tensor... inputs) {
        return k.compute(ExecContext.serial(), inputs)[0];
    }

    private static Tensor u8(int[] shape, int... v) {
        return QuantType.UINT8.tensor(shape, v);
    }

    private static Tensor i8(int[] shape, int... v) {
        return QuantType.INT8.tensor(shape, v);
    }

    @Test
    void quantizeRoundsHalfToEvenAndSaturatesToUint8() {
        Kernel q = new QuantizeLinear(TestNodes.op("QuantizeLinear").node(13));
        Tensor x = Tensor.ofFloats(new int[] {7}, 0f, 1f, 2.5f, 3.5f, -2.5f, 300f, -300f);

        Tensor y = run(q, x, Tensor.ofFloats(new int[0], 1f), u8(new int[0], 128));

        // rint: 0, 1, 2, 4, -2, 300, -300; + 128; clip [0, 255]
        assertThat(y.dataType()).isEqualTo(DataType.UINT8);
        assertThat(QuantType.read(y)).containsExactly(128, 129, 130, 132, 126, 255, 0);
    }

    @Test
    void quantizePerAxisAlongANegativeAxisToInt8() {
        Kernel q = new QuantizeLinear(TestNodes.op("QuantizeLinear").i("axis", -1).node(13));
        Tensor x = Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, -4, 5, -6);

        Tensor y = run(q, x, Tensor.ofFloats(new int[] {3}, 1, 2, 4), i8(new int[] {3}, 0, 1, -1));

        // columns / [1, 2, 4] -> [[1, 1, 0.75], [-4, 2.5, -1.5]]; rint -> [[1, 1, 1], [-4, 2, -2]]; + [0, 1, -1]
        assertThat(QuantType.read(y)).containsExactly(1, 2, 0, -4, 3, -3);
    }

    @Test
    void quantizeWithoutZeroPointUsesOutputDtype() {
        Kernel q = new QuantizeLinear(TestNodes.op("QuantizeLinear").i("output_dtype", 3).node(21));

        Tensor y = run(q, Tensor.ofFloats(new int[] {3}, -1000f, -3f, 3f), Tensor.ofFloats(new int[0], 2f));

        // int8: rint(-500) -> -128 (saturated), rint(-1.5) = -2, rint(1.5) = 2
        assertThat(y.dataType()).isEqualTo(DataType.INT8);
        assertThat(QuantType.read(y)).containsExactly(-128, -2, 2);
    }

    @Test
    void quantizeKeepsAnEmptyDim() {
        Kernel q = new QuantizeLinear(TestNodes.op("QuantizeLinear").node(13));

        Tensor y = run(q, Tensor.ofFloats(new int[] {0, 3}), Tensor.ofFloats(new int[0], 1f));

        assertThat(y.shape()).containsExactly(0, 3);
    }

    @Test
    void negativeBlockSizeIsRejectedNamingTheAttribute() {
        assertThatThrownBy(() -> new QuantizeLinear(TestNodes.op("QuantizeLinear").i("block_size", -1).node(21)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'block_size' must be >= 0, got -1");
    }

    @Test
    void perAxisScaleOfTheWrongLengthIsRejected() {
        Kernel q = new QuantizeLinear(TestNodes.op("QuantizeLinear").node(13));

        assertThatThrownBy(() -> run(q, Tensor.ofFloats(new int[] {2, 3}, new float[6]), Tensor.ofFloats(new int[] {2}, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input 'y_scale' has shape [2], expected a scalar or [3] for axis 1 of [2,3]");
    }

    @Test
    void float8OutputIsUnsupported() {
        assertThatThrownBy(() -> new QuantizeLinear(TestNodes.op("QuantizeLinear").i("output_dtype", 17).node(21)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("QuantizeLinear does not support output_dtype float8e4m3fn");
    }

    @Test
    void dequantizeBlocksAlongTheAxis() {
        Kernel dq = new DequantizeLinear(TestNodes.op("DequantizeLinear").i("axis", 1).i("block_size", 2).node(21));

        Tensor y = run(dq, i8(new int[] {1, 4}, 10, 20, 30, 40), Tensor.ofFloats(new int[] {1, 2}, 0.5f, 2f),
                i8(new int[] {1, 2}, 0, 10));

        // (10 - 0) * 0.5, (20 - 0) * 0.5, (30 - 10) * 2, (40 - 10) * 2
        assertThat(y.floatData()).containsExactly(5f, 10f, 40f, 60f);
    }

    @Test
    void dequantizeInt32WithoutZeroPoint() {
        Kernel dq = new DequantizeLinear(TestNodes.op("DequantizeLinear").node(13));

        Tensor y = run(dq, Tensor.ofInts(new int[] {2}, -5, 1_000_000), Tensor.ofFloats(new int[0], 0.5f));

        assertThat(y.floatData()).containsExactly(-2.5f, 500_000f);
    }

    @Test
    void dequantizePerAxisAlongANegativeAxis() {
        Kernel dq = new DequantizeLinear(TestNodes.op("DequantizeLinear").i("axis", -2).node(13));

        Tensor y = run(dq, u8(new int[] {2, 2}, 0, 255, 10, 20), Tensor.ofFloats(new int[] {2}, 1f, 0.1f),
                u8(new int[] {2}, 128, 10));

        // row 0: (0 - 128) * 1, (255 - 128) * 1; row 1: (10 - 10) * 0.1, (20 - 10) * 0.1
        assertThat(y.floatData()).containsExactly(new float[] {-128f, 127f, 0f, 1f}, within(1e-6f));
    }

    @Test
    void dynamicQuantizeWidensTheRangeToZeroAndRoundsHalfToEven() {
        Kernel dq = new DynamicQuantizeLinear(TestNodes.op("DynamicQuantizeLinear").node(11));

        Tensor[] out = dq.compute(ExecContext.serial(), new Tensor[] {Tensor.ofFloats(new int[] {4}, -1, 0, 1, 2)});

        // numpy: scale = 3 / 255 = 0.011764706, zero point = rint(1 / scale) = 85, y = [0, 85, 170, 255]
        assertThat(QuantType.read(out[0])).containsExactly(0, 85, 170, 255);
        assertThat(out[1].floatData()[0]).isCloseTo(0.011764706f, within(1e-9f));
        assertThat(QuantType.read(out[2])).containsExactly(85);
    }

    @Test
    void dynamicQuantizeOfZerosUsesScaleOne() {
        Kernel dq = new DynamicQuantizeLinear(TestNodes.op("DynamicQuantizeLinear").node(11));

        Tensor[] out = dq.compute(ExecContext.serial(), new Tensor[] {Tensor.ofFloats(new int[] {2}, 0, 0)});

        assertThat(QuantType.read(out[0])).containsExactly(0, 0);
        assertThat(out[1].floatData()).containsExactly(1f);
        assertThat(QuantType.read(out[2])).containsExactly(0);
    }
}
