package dev.continuum.engine.internal.ops.tensor;

import static dev.continuum.engine.internal.ops.tensor.OpRunner.floats;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.longs;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.op;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.shape;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

/** Pad (expected values from numpy.pad) and Resize (expected values from the ONNX operator examples). */
class PadResizeTest {
    private static final Tensor M23 = Tensor.ofInts(shape(2, 3), 1, 2, 3, 4, 5, 6);

    @Test
    void padReflectEdgeAndWrapMatchNumpy() {
        // np.pad(m, ((0,0),(2,2)), 'reflect')
        assertThat(op("Pad", 19).attr("mode", "reflect").run1(M23, longs(0, 2, 0, 2)).intData())
                .containsExactly(3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4);
        // np.pad(m, ((1,0),(0,2)), 'edge')
        assertThat(op("Pad", 19).attr("mode", "edge").run1(M23, longs(1, 0, 0, 2)).intData())
                .containsExactly(1, 2, 3, 3, 3, 1, 2, 3, 3, 3, 4, 5, 6, 6, 6);
        // np.pad(m, ((0,0),(1,4)), 'wrap')
        assertThat(op("Pad", 19).attr("mode", "wrap").run1(M23, longs(0, 1, 0, 4)).intData())
                .containsExactly(3, 1, 2, 3, 1, 2, 3, 1, 6, 4, 5, 6, 4, 5, 6, 4);
    }

    @Test
    void padConstantOnANegativeAxisWithNegativePadsCrops() {
        Tensor out = op("Pad", 18).run1(M23, longs(-1, 1), Tensor.ofInts(shape(), 9), longs(-1));
        assertThat(out.dims()).containsExactly(2, 3);
        assertThat(out.intData()).containsExactly(2, 3, 9, 5, 6, 9);
        Tensor old = op("Pad", 2).ints("pads", 1, 0, 0, 0).attr("value", 1.5f).run1(floats(shape(1, 1), 7));
        assertThat(old.floatData()).containsExactly(1.5f, 7f);
    }

    @Test
    void padOfAnEmptyTensorWithAConstantFills() {
        Tensor out = op("Pad", 13).run1(Tensor.zeros(DataType.FLOAT, 0), longs(1, 1));
        assertThat(out.floatData()).containsExactly(0f, 0f);
    }

    @Test
    void padRejectsAnUnknownMode() {
        assertThatThrownBy(() -> op("Pad", 13).attr("mode", "mirror").kernel(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attribute 'mode' is 'mirror'");
    }

    @Test
    void resizeNearestUpsamplesByRepeating() {
        // ONNX Resize example resize_upsample_scales_nearest
        Tensor x = floats(shape(1, 1, 2, 2), 1, 2, 3, 4);
        Tensor out = op("Resize", 19).attr("mode", "nearest")
                .run1(x, null, floats(shape(4), 1, 1, 2, 3));
        assertThat(out.dims()).containsExactly(1, 1, 4, 6);
        assertThat(out.floatData()).containsExactly(1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4);
    }

    @Test
    void resizeLinearHalfPixelMatchesTheOnnxExamples() {
        Tensor x = floats(shape(1, 1, 2, 2), 1, 2, 3, 4);
        // resize_upsample_scales_linear
        Tensor up = op("Resize", 19).attr("mode", "linear").run1(x, null, floats(shape(4), 1, 1, 2, 2));
        assertThat(values(up)).containsExactly(new double[] {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5,
                2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4}, within(1e-6));
        // resize_downsample_scales_linear: [[1,2,3,4],[5,6,7,8]] * 0.6 -> [[2.6666665, 4.3333331]]
        Tensor x24 = floats(shape(1, 1, 2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor down = op("Resize", 19).attr("mode", "linear").run1(x24, null, floats(shape(4), 1, 1, 0.6f, 0.6f));
        assertThat(values(down)).containsExactly(new double[] {2.6666665, 4.3333331}, within(1e-5));
        // resize_downsample_scales_linear_align_corners -> [[1, 3.142857]]
        Tensor aligned = op("Resize", 19).attr("mode", "linear").attr("coordinate_transformation_mode", "align_corners")
                .run1(x24, null, floats(shape(4), 1, 1, 0.6f, 0.6f));
        assertThat(values(aligned)).containsExactly(new double[] {1, 3.142857}, within(1e-5));
    }

    @Test
    void resizeBySizesOnNegativeAxesInfersItsShape() {
        Tensor sizes = longs(3, 1);
        ValueType[] t = op("Resize", 19).ints("axes", -2, -1).infer(new ValueType[] {ValueType.of(DataType.FLOAT, 1, 2, 2),
                null, null, ValueType.of(DataType.INT64, 2)}, null, null, null, sizes);
        assertThat(t[0]).isEqualTo(ValueType.of(DataType.FLOAT, 1, 3, 1));
        Tensor empty = op("Resize", 19).ints("axes", -1).run1(Tensor.zeros(DataType.UINT8, 0, 2), null, null, longs(4));
        assertThat(empty.dims()).containsExactly(0, 4);
    }

    @Test
    void resizeRejectsAntialiasWithNearestAndUnknownModes() {
        assertThatThrownBy(() -> op("Resize", 19).attr("antialias", 1L).kernel(3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attribute 'antialias'");
        assertThatThrownBy(() -> op("Resize", 19).attr("mode", "area").kernel(3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attribute 'mode' has unsupported value");
    }
}
