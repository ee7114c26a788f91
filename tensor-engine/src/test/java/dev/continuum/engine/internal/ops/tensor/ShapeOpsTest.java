package dev.continuum.engine.internal.ops.tensor;

import static dev.continuum.engine.internal.ops.tensor.OpRunner.floats;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.longs;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.op;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.shape;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

/** Reshape, Flatten, Squeeze, Unsqueeze, Shape, Size, Constant, ConstantOfShape; expected shapes from numpy. */
class ShapeOpsTest {
    private static final Tensor X234 = Tensor.zeros(DataType.FLOAT, 2, 3, 4);

    @Test
    void reshapeCopiesZeroDimsAndInfersMinusOne() {
        // numpy: np.zeros((2,3,4)).reshape(2, -1) -> (2, 12); ONNX 0 copies the input dim
        assertThat(op("Reshape", 25).run1(X234, longs(0, -1)).dims()).containsExactly(2, 12);
        assertThat(op("Reshape", 25).run1(X234, longs(-1, 0, 2)).dims()).containsExactly(4, 3, 2);
    }

    @Test
    void reshapeWithAllowZeroMakesAnEmptyDim() {
        Tensor empty = Tensor.zeros(DataType.FLOAT, 0, 3);
        assertThat(op("Reshape", 14).attr("allowzero", 1L).run1(empty, longs(3, 0)).dims()).containsExactly(3, 0);
    }

    @Test
    void reshapeToAnIncompatibleShapeNamesBothShapes() {
        Tensor x = Tensor.zeros(DataType.FLOAT, 2, 3);
        assertThatThrownBy(() -> op("Reshape", 13).run1(x, longs(4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot reshape [2,3] to [4,2]");
    }

    @Test
    void reshapeInfersItsShapeFromAConstantShapeInput() {
        ValueType[] t = op("Reshape", 13).infer(new ValueType[] {ValueType.of(DataType.INT8, 2, -1, 4),
                ValueType.of(DataType.INT64, 2)}, null, longs(0, -1));
        assertThat(t[0]).isEqualTo(ValueType.of(DataType.INT8, 2, -1));
    }

    @Test
    void flattenAtANegativeAxisSplitsTheDims() {
        // numpy: x.reshape(prod(shape[:-1]), -1) for axis -1
        assertThat(op("Flatten", 13).attr("axis", -1L).run1(X234).dims()).containsExactly(6, 4);
        assertThat(op("Flatten", 13).attr("axis", 0L).run1(X234).dims()).containsExactly(1, 24);
    }

    @Test
    void flattenRejectsAnAxisBeyondTheRank() {
        assertThatThrownBy(() -> op("Flatten", 13).attr("axis", 4L).run1(X234))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attribute 'axis' 4");
    }

    @Test
    void squeezeAndUnsqueezeTakeNegativeAxesInBothForms() {
        Tensor x = Tensor.zeros(DataType.BOOL, 1, 3, 1);
        assertThat(op("Squeeze", 13).run1(x, longs(-1)).dims()).containsExactly(1, 3);
        assertThat(op("Squeeze", 11).ints("axes", 0).run1(x).dims()).containsExactly(3, 1);
        assertThat(op("Squeeze", 13).run1(x).dims()).containsExactly(3);
        // numpy: np.expand_dims(np.zeros((1,3,1)), (0, -1)).shape == (1, 1, 3, 1, 1)
        assertThat(op("Unsqueeze", 13).run1(x, longs(0, -1)).dims()).containsExactly(1, 1, 3, 1, 1);
        assertThat(op("Unsqueeze", 11).ints("axes", 1).run1(x).dims()).containsExactly(1, 1, 3, 1);
    }

    @Test
    void squeezingADimOtherThanOneIsRejected() {
        assertThatThrownBy(() -> op("Squeeze", 13).run1(X234, longs(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim is 3, expected 1");
    }

    @Test
    void unsqueezeOfAnEmptyTensorKeepsItEmpty() {
        assertThat(op("Unsqueeze", 13).run1(Tensor.zeros(DataType.INT64, 0), longs(0)).dims()).containsExactly(1, 0);
    }

    @Test
    void shapeClampsStartAndEnd() {
        assertThat(op("Shape", 15).attr("start", -2L).run1(X234).longData()).containsExactly(3, 4);
        assertThat(op("Shape", 15).attr("start", 1L).attr("end", 10L).run1(X234).longData()).containsExactly(3, 4);
        assertThat(op("Shape", 15).attr("start", 2L).attr("end", 1L).run1(X234).dims()).containsExactly(0);
        assertThat(op("Size", 13).run1(X234).longData()).containsExactly(24);
    }

    @Test
    void constantReadsScalarAndListAttributes() {
        assertThat(op("Constant", 13).attr("value_float", 2.5f).run1().floatData()).containsExactly(2.5f);
        Tensor ints = op("Constant", 13).ints("value_ints", 1, -2).run1();
        assertThat(ints.dataType()).isEqualTo(DataType.INT64);
        assertThat(ints.longData()).containsExactly(1, -2);
        Tensor t = floats(shape(2), 1f, 2f);
        assertThat(op("Constant", 13).tensor("value", t).run1().floatData()).containsExactly(1f, 2f);
    }

    @Test
    void constantStringsAreUnsupported() {
        assertThatThrownBy(() -> op("Constant", 13).attr("value_string", "hi").run1())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("value_string");
    }

    @Test
    void constantOfShapeFillsWithTheValueType() {
        Tensor v = Tensor.ofInts(shape(1), 7);
        Tensor out = op("ConstantOfShape", 20).tensor("value", v).run1(longs(2, 2));
        assertThat(out.intData()).containsExactly(7, 7, 7, 7);
        Tensor empty = op("ConstantOfShape", 20).run1(longs(0, 3));
        assertThat(empty.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(empty.dims()).containsExactly(0, 3);
        assertThat(values(op("ConstantOfShape", 20).run1(longs()))).containsExactly(0.0);
    }
}
