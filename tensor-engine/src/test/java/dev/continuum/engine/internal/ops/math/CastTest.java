package dev.continuum.engine.internal.ops.math;

import static dev.continuum.engine.internal.ops.math.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

class CastTest {

    private static Tensor cast(Tensor x, DataType to) {
        return op("Cast", 21).attr("to", (long) to.onnxCode()).run(x);
    }

    @Test
    void floatToHalfRoundsToNearestEvenAndOverflowsToInfinity() {
        // numpy: np.float32([1/3, 65504, 70000, -0.0]).astype(np.float16).view(np.uint16)
        //        = [0x3555, 0x7BFF, 0x7C00, 0x8000]
        Tensor y = cast(Tensor.ofFloats(new int[] {4}, 1f / 3, 65504, 70000, -0f), DataType.FLOAT16);
        assertThat(y.shortData()).containsExactly((short) 0x3555, (short) 0x7BFF, (short) 0x7C00, (short) 0x8000);
        Tensor back = cast(y, DataType.FLOAT);
        assertThat(back.floatData()[0]).isEqualTo(0.33325195f);
    }

    @Test
    void floatToBfloat16RoundsToNearestEven() {
        // 1/3 = 0x3EAAAAAB -> bfloat16 0x3EAB; bfloat16 0x3EAB -> float 0.333984375
        Tensor y = cast(Tensor.ofFloats(new int[] {1}, 1f / 3), DataType.BFLOAT16);
        assertThat(y.shortData()).containsExactly((short) 0x3EAB);
        assertThat(cast(y, DataType.DOUBLE).doubleData()).containsExactly(0.333984375);
    }

    @Test
    void floatToIntegersTruncatesTowardZero() {
        // numpy: np.float32([2.7, -2.7, 300]).astype(np.int32) = [2, -2, 300]; astype(np.uint8)[2] = 44
        Tensor x = Tensor.ofFloats(new int[] {3}, 2.7f, -2.7f, 300);
        assertThat(cast(x, DataType.INT32).intData()).containsExactly(2, -2, 300);
        assertThat(cast(x, DataType.UINT8).byteData()[2] & 0xFF).isEqualTo(44);
    }

    @Test
    void anythingNonzeroIsTrue() {
        Tensor x = Tensor.ofDoubles(new int[] {3}, 0, -0.5, Double.NaN);
        assertThat(cast(x, DataType.BOOL).byteData()).containsExactly(0, 1, 1);
        assertThat(cast(Tensor.ofLongs(new int[] {2}, 0, 256), DataType.BOOL).byteData()).containsExactly(0, 1);
        assertThat(cast(Tensor.ofBools(new int[] {2}, true, false), DataType.FLOAT).floatData()).containsExactly(1, 0);
    }

    @Test
    void integersNarrowByKeepingLowBitsAndWidenUnsigned() {
        // numpy: np.int64([257, -1]).astype(np.int8) = [1, -1]; np.uint8(255).astype(np.int32) = 255
        assertThat(cast(Tensor.ofLongs(new int[] {2}, 257, -1), DataType.INT8).byteData()).containsExactly(1, -1);
        Tensor u8 = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {(byte) 255});
        assertThat(cast(u8, DataType.INT32).intData()).containsExactly(255);
        Tensor u64 = Tensor.of(DataType.UINT64, new int[] {1}, new long[] {-1L});
        assertThat(cast(u64, DataType.DOUBLE).doubleData()).containsExactly(1.8446744073709552E19);
    }

    @Test
    void castLikeTakesTheTypeOfItsSecondInput() {
        Tensor y = op("CastLike", 21).run(Tensor.ofInts(new int[] {2}, 3, -4), Tensor.ofDoubles(new int[0], 0));
        assertThat(y.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(y.doubleData()).containsExactly(3, -4);
        assertThat(op("CastLike", 21).infer(ValueType.of(DataType.INT32, 2), ValueType.of(DataType.FLOAT16))[0])
                .isEqualTo(ValueType.of(DataType.FLOAT16, 2));
    }

    @Test
    void castInfersTheTargetType() {
        assertThat(op("Cast", 13).attr("to", 7L).infer(ValueType.of(DataType.FLOAT, -1, 0))[0])
                .isEqualTo(ValueType.of(DataType.INT64, -1, 0));
    }

    @Test
    void castToFloat8IsUnsupportedAndMissingToIsAnError() {
        assertThatThrownBy(() -> op("Cast", 21).attr("to", 17L).kernel(1, 1))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("Cast to float8e4m3fn is not supported");
        assertThatThrownBy(() -> op("Cast", 21).kernel(1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("required attribute 'to' is missing");
    }
}
