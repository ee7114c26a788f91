package dev.continuum.engine.internal.ops.math;

import static dev.continuum.engine.internal.ops.math.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

class CompareAndLogicTest {

    @Test
    void comparisonsFollowIeeeWithNanAndSignedZero() {
        // numpy: a == b, a < b, a > b for a = [1, nan, -0.0, 3], b = [1, nan, 0.0, 2]
        Tensor a = Tensor.ofFloats(new int[] {4}, 1, Float.NaN, -0f, 3);
        Tensor b = Tensor.ofFloats(new int[] {4}, 1, Float.NaN, 0f, 2);
        assertThat(op("Equal", 19).run(a, b).byteData()).containsExactly(1, 0, 1, 0);
        assertThat(op("Less", 13).run(a, b).byteData()).containsExactly(0, 0, 0, 0);
        assertThat(op("Greater", 13).run(a, b).byteData()).containsExactly(0, 0, 0, 1);
    }

    @Test
    void comparisonsBroadcastAndReturnBool() {
        Tensor y = op("Less", 13).run(Tensor.ofLongs(new int[] {2, 1}, 1, 5), Tensor.ofLongs(new int[] {3}, 0, 2, 6));
        assertThat(y.dataType()).isEqualTo(DataType.BOOL);
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.byteData()).containsExactly(0, 1, 1, 0, 0, 1);
    }

    @Test
    void uint8ComparesUnsigned() {
        // uint8 200 > 100 although the stored byte is negative
        Tensor a = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {(byte) 200});
        Tensor b = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {100});
        assertThat(op("Greater", 13).run(a, b).byteData()).containsExactly(1);
    }

    @Test
    void equalAcceptsBoolButLessDoesNot() {
        Tensor t = Tensor.ofBools(new int[] {2}, true, false);
        Tensor u = Tensor.ofBools(new int[] {2}, true, true);
        assertThat(op("Equal", 19).run(t, u).byteData()).containsExactly(1, 0);
        assertThatThrownBy(() -> op("Less", 13).run(t, u))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("Less does not support bool input");
    }

    @Test
    void comparisonInfersABoolBroadcastShape() {
        assertThat(op("Equal", 19).infer(ValueType.of(DataType.INT32, 4, 1), ValueType.of(DataType.INT32, 3))[0])
                .isEqualTo(ValueType.of(DataType.BOOL, 4, 3));
    }

    @Test
    void whereSelectsWithThreeWayBroadcast() {
        // ONNX Where example: where([[1,0],[1,1]], [[1,2],[3,4]], [[9,8],[7,6]]) = [[1,8],[3,4]]
        Tensor c = Tensor.ofBools(new int[] {2, 2}, true, false, true, true);
        Tensor y = op("Where", 16).run(c, Tensor.ofLongs(new int[] {2, 2}, 1, 2, 3, 4),
                Tensor.ofLongs(new int[] {2, 2}, 9, 8, 7, 6));
        assertThat(y.longData()).containsExactly(1, 8, 3, 4);
        // condition [2,1], x scalar, y [3] -> [2,3]
        Tensor z = op("Where", 16).run(Tensor.ofBools(new int[] {2, 1}, true, false), Tensor.ofFloats(new int[0], 5),
                Tensor.ofFloats(new int[] {3}, 1, 2, 3));
        assertThat(z.shape()).containsExactly(2, 3);
        assertThat(z.floatData()).containsExactly(5, 5, 5, 1, 2, 3);
    }

    @Test
    void whereInfersTheValueTypeNotTheConditionType() {
        ValueType[] t = op("Where", 16).infer(ValueType.of(DataType.BOOL, 2, 1), ValueType.of(DataType.FLOAT, 3),
                ValueType.of(DataType.FLOAT, 1));
        assertThat(t[0]).isEqualTo(ValueType.of(DataType.FLOAT, 2, 3));
    }

    @Test
    void whereRejectsANonBoolCondition() {
        assertThatThrownBy(() -> op("Where", 16).run(Tensor.ofFloats(new int[] {1}, 1), Tensor.ofFloats(new int[] {1}, 1),
                Tensor.ofFloats(new int[] {1}, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Where condition must be bool, got float32");
    }

    @Test
    void notAndAndWorkOnBools() {
        Tensor a = Tensor.ofBools(new int[] {2, 2}, true, true, false, false);
        Tensor b = Tensor.ofBools(new int[] {2}, true, false);
        assertThat(op("Not", 1).run(b).byteData()).containsExactly(0, 1);
        assertThat(op("And", 7).run(a, b).byteData()).containsExactly(1, 0, 0, 0);
    }
}
