package dev.continuum.engine.internal.ops.math;

import static dev.continuum.engine.internal.ops.math.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

class ArithmeticTest {

    @Test
    void addBroadcastsRowAgainstColumnLikeNumpy() {
        // numpy: np.array([[1],[2]]) + np.array([10, 20, 30]) = [[11,21,31],[12,22,32]]
        Tensor y = op("Add", 14).run(Tensor.ofFloats(new int[] {2, 1}, 1, 2),
                Tensor.ofFloats(new int[] {3}, 10, 20, 30));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floatData()).containsExactly(11, 21, 31, 12, 22, 32);
    }

    @Test
    void subWithScalarOnTheLeftMatchesNumpy() {
        // numpy: 1.0 - np.array([[0.5, 2], [3, -1]], np.float64) = [[0.5, -1], [-2, 2]]
        Tensor y = op("Sub", 14).run(Tensor.ofDoubles(new int[0], 1.0),
                Tensor.ofDoubles(new int[] {2, 2}, 0.5, 2, 3, -1));
        assertThat(y.doubleData()).containsExactly(0.5, -1, -2, 2);
    }

    @Test
    void mulBroadcastsAMiddleAxis() {
        // numpy: np.arange(12).reshape(2,3,2) * np.array([1,10,100]).reshape(1,3,1)
        long[] a = new long[12];
        for (int i = 0; i < 12; i++) {
            a[i] = i;
        }
        Tensor y = op("Mul", 14).run(Tensor.ofLongs(new int[] {2, 3, 2}, a), Tensor.ofLongs(new int[] {1, 3, 1}, 1, 10, 100));
        assertThat(y.longData()).containsExactly(0, 1, 20, 30, 400, 500, 6, 7, 80, 90, 1000, 1100);
    }

    @Test
    void integerDivisionTruncatesTowardZeroAsTheOnnxTestDataDoes() {
        // ONNX test_div_int32_trunc / C: -7/2 = -3, 7/-2 = -3, -7/-2 = 3
        Tensor y = op("Div", 14).run(Tensor.ofInts(new int[] {4}, -7, 7, -7, 7), Tensor.ofInts(new int[] {4}, 2, -2, -2, 2));
        assertThat(y.intData()).containsExactly(-3, -3, 3, 3);
    }

    @Test
    void uint8ArithmeticWrapsAndDividesUnsigned() {
        // numpy uint8: 200 + 100 = 44 (mod 256); 250 // 5 = 50
        Tensor a = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {(byte) 200});
        Tensor b = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {100});
        assertThat(op("Add", 14).run(a, b).byteData()[0] & 0xFF).isEqualTo(44);
        Tensor c = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {(byte) 250});
        Tensor d = Tensor.of(DataType.UINT8, new int[] {1}, new byte[] {5});
        assertThat(op("Div", 14).run(c, d).byteData()[0] & 0xFF).isEqualTo(50);
    }

    @Test
    void uint64DivisionAndMaxTreatTheTopBitAsMagnitude() {
        // 2^64 - 2 = 18446744073709551614 unsigned; // 2 = 9223372036854775807; max(that, 1) = that
        Tensor a = Tensor.of(DataType.UINT64, new int[] {1}, new long[] {-2L});
        Tensor two = Tensor.of(DataType.UINT64, new int[] {1}, new long[] {2L});
        assertThat(op("Div", 14).run(a, two).longData()).containsExactly(Long.MAX_VALUE);
        assertThat(op("Max", 13).run(a, two).longData()).containsExactly(-2L);
    }

    @Test
    void float16AdditionRoundsBackToHalf() {
        // numpy: np.float16(1) + np.float16(2**-11) = 1.0 (ties to even), bits 0x3C00
        Tensor a = Tensor.of(DataType.FLOAT16, new int[] {1}, new short[] {0x3C00});
        Tensor b = Tensor.of(DataType.FLOAT16, new int[] {1}, new short[] {0x1000});
        assertThat(op("Add", 14).run(a, b).shortData()).containsExactly((short) 0x3C00);
    }

    @Test
    void emptyDimBroadcastsToAnEmptyOutput() {
        Tensor y = op("Add", 14).run(Tensor.ofFloats(new int[] {0, 3}), Tensor.ofFloats(new int[] {1, 3}, 1, 2, 3));
        assertThat(y.shape()).containsExactly(0, 3);
        assertThat(y.size()).isZero();
    }

    @Test
    void incompatibleShapesAreRejectedNamingBoth() {
        assertThatThrownBy(() -> op("Add", 14).run(Tensor.ofFloats(new int[] {2, 3}, new float[6]),
                Tensor.ofFloats(new int[] {2}, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot broadcast [2,3] with [2]");
    }

    @Test
    void mixedInputTypesAreRejected() {
        assertThatThrownBy(() -> op("Mul", 14).run(Tensor.ofFloats(new int[] {1}, 1), Tensor.ofInts(new int[] {1}, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Mul inputs must have the same type, got float32 and int32");
    }

    @Test
    void boolArithmeticIsUnsupported() {
        Tensor t = Tensor.ofBools(new int[] {1}, true);
        assertThatThrownBy(() -> op("Add", 14).run(t, t))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("Add does not support bool input");
    }

    @Test
    void largeBroadcastGivesTheSameResultOnFourThreads() {
        int rows = 300;
        int cols = 1000;
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 97;
        }
        float[] b = new float[cols];
        for (int j = 0; j < cols; j++) {
            b[j] = j;
        }
        Tensor x = Tensor.ofFloats(new int[] {rows, cols}, a);
        Tensor v = Tensor.ofFloats(new int[] {cols}, b);
        Tensor serial = op("Sub", 14).run(x, v);
        Tensor parallel = op("Sub", 14).runParallel(x, v);
        assertThat(parallel.floatData()).as("Sub float32 [300,1000] - [1000], 4 threads vs serial").isEqualTo(serial.floatData());
        assertThat(serial.floatData()[cols + 5]).isEqualTo((cols + 5) % 97 - 5);
    }

    @Test
    void powKeepsTheBaseTypeForMixedTypes() {
        // ONNX test_pow_types_*: np.power(np.int32([2, 3]), np.float32([0.5, 2])).astype(np.int32) = [1, 9]
        Tensor y = op("Pow", 15).run(Tensor.ofInts(new int[] {2}, 2, 3), Tensor.ofFloats(new int[] {2}, 0.5f, 2));
        assertThat(y.dataType()).isEqualTo(DataType.INT32);
        assertThat(y.intData()).containsExactly(1, 9);
        // np.power(np.float32([2, 4]), np.int64([3, -1])) = [8, 0.25]
        Tensor z = op("Pow", 15).run(Tensor.ofFloats(new int[] {2}, 2, 4), Tensor.ofLongs(new int[] {2}, 3, -1));
        assertThat(z.floatData()).containsExactly(8f, 0.25f);
    }

    @Test
    void integerPowIsExactBeyondDoublePrecision() {
        // 3**39 = 4052555153018976267 (exact in int64, not representable in double)
        Tensor y = op("Pow", 15).run(Tensor.ofLongs(new int[] {1}, 3), Tensor.ofLongs(new int[0], 39));
        assertThat(y.longData()).containsExactly(4052555153018976267L);
    }

    @Test
    void sumMinAndMaxFoldOverManyBroadcastInputs() {
        // numpy: [1,2,3] + [[10],[20]] + 100
        Tensor a = Tensor.ofFloats(new int[] {3}, 1, 2, 3);
        Tensor b = Tensor.ofFloats(new int[] {2, 1}, 10, 20);
        Tensor c = Tensor.ofFloats(new int[0], 100);
        assertThat(op("Sum", 13).run(a, b, c).floatData()).containsExactly(111, 112, 113, 121, 122, 123);
        assertThat(op("Min", 13).run(a, Tensor.ofFloats(new int[0], 2)).floatData()).containsExactly(1, 2, 2);
        assertThat(op("Max", 13).run(a).floatData()).containsExactly(1, 2, 3);
        assertThat(op("Max", 13).run(a, Tensor.ofFloats(new int[] {1}, Float.NaN)).floatData()[0]).isNaN();
    }

    @Test
    void preluScalesNegativesBySlopePerChannel() {
        // ONNX PRelu example: slope broadcast over the last axis
        Tensor y = op("PRelu", 16).run(Tensor.ofFloats(new int[] {2, 2}, -1, 2, -3, -4),
                Tensor.ofFloats(new int[] {2}, 0.1f, 0.5f));
        assertThat(y.floatData()[0]).isCloseTo(-0.1f, within(1e-7f));
        assertThat(y.floatData()).containsExactly(y.floatData()[0], 2f, -0.3f, -2f);
    }

    @Test
    void inferredShapeBroadcastsUnknownDims() {
        ValueType[] t = op("Add", 14).infer(ValueType.of(DataType.FLOAT, -1, 1, 4), ValueType.of(DataType.FLOAT, 3, 1));
        assertThat(t[0]).isEqualTo(ValueType.of(DataType.FLOAT, -1, 3, 4));
        ValueType[] unknownRank = op("Mul", 14).infer(new ValueType(DataType.INT64, null), ValueType.of(DataType.INT64, 2));
        assertThat(unknownRank[0]).isEqualTo(new ValueType(DataType.INT64, null));
    }
}
