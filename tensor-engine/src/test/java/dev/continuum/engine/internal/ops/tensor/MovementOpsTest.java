package dev.continuum.engine.internal.ops.tensor;

import static dev.continuum.engine.internal.ops.tensor.OpRunner.floats;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.longs;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.op;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.shape;
import static dev.continuum.engine.internal.ops.tensor.OpRunner.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Float16;
import dev.continuum.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Transpose, Concat, Split, Slice, Gather(Elements), Expand, Tile; expected values from numpy. */
class MovementOpsTest {
    private static Tensor arange(DataType type, int... shape) {
        Tensor t = Tensor.zeros(type, shape);
        for (int i = 0; i < t.size(); i++) {
            Gathers.store(type, t.data(), i, i);
        }
        return t;
    }

    @Test
    void transposeMatchesNumpyForEveryArrayKind() {
        // numpy: np.transpose(np.arange(24).reshape(2,3,4), (2,0,1)).ravel()
        double[] expected = {0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23};
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.INT64, DataType.INT32,
                DataType.INT8, DataType.UINT8, DataType.FLOAT16}) {
            Tensor out = op("Transpose", 13).ints("perm", 2, 0, 1).run1(arange(type, 2, 3, 4));
            assertThat(out.dims()).as(type.toString()).containsExactly(4, 2, 3);
            assertThat(values(out)).as(type.toString()).containsExactly(expected);
        }
    }

    @Test
    void transposeRejectsARepeatedAxis() {
        assertThatThrownBy(() -> op("Transpose", 13).ints("perm", 0, 0).run1(arange(DataType.FLOAT, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a permutation");
    }

    @Test
    void concatOnANegativeAxisAcceptsAnEmptyPart() {
        Tensor a = floats(shape(2, 1), 1, 2);
        Tensor empty = floats(shape(2, 0));
        Tensor b = floats(shape(2, 2), 3, 4, 5, 6);
        Tensor out = op("Concat", 13).attr("axis", -1L).run1(a, empty, b);
        assertThat(out.dims()).containsExactly(2, 3);
        assertThat(out.floatData()).containsExactly(1, 3, 4, 2, 5, 6); // np.concatenate(..., axis=-1)
    }

    @Test
    void concatWithoutAxisIsAnAttributeError() {
        assertThatThrownBy(() -> op("Concat", 13).run1(floats(shape(1), 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("required attribute 'axis' is missing");
    }

    @Test
    void splitWithNumOutputsMakesTheLastPartSmaller() {
        // ONNX Split-18: 7 into 3 parts of ceil(7/3) = 3, 3, 1
        Tensor[] parts = op("Split", 18).attr("num_outputs", 3L).outputs(3).run(arange(DataType.INT64, 7));
        assertThat(parts[0].longData()).containsExactly(0, 1, 2);
        assertThat(parts[1].longData()).containsExactly(3, 4, 5);
        assertThat(parts[2].longData()).containsExactly(6);
    }

    @Test
    void splitByInputAlongANegativeAxisAllowsZeroSizes() {
        Tensor[] parts = op("Split", 13).attr("axis", -1L).outputs(3).run(arange(DataType.FLOAT, 2, 3), longs(2, 0, 1));
        assertThat(parts[0].floatData()).containsExactly(0, 1, 3, 4);
        assertThat(parts[1].dims()).containsExactly(2, 0);
        assertThat(parts[2].floatData()).containsExactly(2, 5);
    }

    @Test
    void splitSizesMustAddUpToTheAxis() {
        assertThatThrownBy(() -> op("Split", 11).ints("split", 1, 1).outputs(2).run(arange(DataType.FLOAT, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 2, expected the axis dim 3");
    }

    @Test
    void sliceWithNegativeStepMatchesNumpy() {
        // numpy: np.arange(10).reshape(2,5)[:, -1:-6:-2] -> [[4,2,0],[9,7,5]]
        Tensor out = op("Slice", 13).run1(arange(DataType.INT32, 2, 5), longs(-1), longs(-6), longs(-1), longs(-2));
        assertThat(out.intData()).containsExactly(4, 2, 0, 9, 7, 5);
    }

    @Test
    void sliceClampsOutOfRangeBoundsAndCanBeEmpty() {
        Tensor x = arange(DataType.FLOAT, 4);
        assertThat(op("Slice", 13).run1(x, longs(-100), longs(Long.MAX_VALUE)).floatData()).containsExactly(0, 1, 2, 3);
        assertThat(op("Slice", 13).run1(x, longs(3), longs(1)).dims()).containsExactly(0);
        assertThat(op("Slice", 13).run1(x, longs(1), longs(4), longs(0), longs(Long.MAX_VALUE)).floatData())
                .containsExactly(1);
        assertThat(op("Slice", 13).run1(x, longs(-1), longs(Long.MIN_VALUE), longs(0), longs(Long.MIN_VALUE))
                .floatData()).containsExactly(3);
        assertThat(op("Slice", 1).ints("starts", 1).ints("ends", 3).run1(x).floatData()).containsExactly(1, 2);
    }

    @Test
    void sliceWithAZeroStepIsRejected() {
        Tensor x = arange(DataType.FLOAT, 4);
        assertThatThrownBy(() -> op("Slice", 13).run1(x, longs(0), longs(2), longs(0), longs(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps value for axis 0 is 0");
    }

    @Test
    void gatherTakesNegativeIndicesAndKeepsTheIndexShape() {
        // numpy: np.take([[1,2],[3,4],[5,6]], [[-1, 0]], axis=0)
        Tensor data = floats(shape(3, 2), 1, 2, 3, 4, 5, 6);
        Tensor out = op("Gather", 13).run1(data, Tensor.ofLongs(shape(1, 2), -1, 0));
        assertThat(out.dims()).containsExactly(1, 2, 2);
        assertThat(out.floatData()).containsExactly(5, 6, 1, 2);
        Tensor cols = op("Gather", 13).attr("axis", -1L).run1(data, Tensor.ofInts(shape(), 1));
        assertThat(cols.floatData()).containsExactly(2, 4, 6);
    }

    @Test
    void gatherRejectsAnIndexOutOfRange() {
        Tensor data = floats(shape(3), 1, 2, 3);
        assertThatThrownBy(() -> op("Gather", 13).run1(data, longs(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("index 3 is out of range for axis 0 of size 3");
    }

    @Test
    void gatherElementsMatchesTakeAlongAxis() {
        // numpy: np.take_along_axis(d, [[1,0],[0,0],[1,1]], axis=-1)
        Tensor data = floats(shape(3, 2), 1, 2, 3, 4, 5, 6);
        Tensor idx = Tensor.ofLongs(shape(3, 2), 1, 0, 0, 0, 1, -1);
        Tensor out = op("GatherElements", 13).attr("axis", -1L).run1(data, idx);
        assertThat(out.floatData()).containsExactly(2, 1, 3, 3, 6, 6);
    }

    @Test
    void expandAndTileMatchNumpy() {
        // numpy: np.broadcast_to([[1],[2],[3]], (2,3,4)); np.tile([[1,2],[3,4]], (2,3))
        Tensor col = Tensor.ofLongs(shape(3, 1), 1, 2, 3);
        Tensor e = op("Expand", 13).run1(col, longs(2, 1, 4));
        assertThat(e.dims()).containsExactly(2, 3, 4);
        assertThat(e.longData()).startsWith(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1);
        Tensor t = op("Tile", 13).run1(Tensor.ofLongs(shape(2, 2), 1, 2, 3, 4), longs(2, 3));
        assertThat(t.longData()).containsExactly(1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4);
        assertThat(op("Tile", 13).run1(Tensor.ofLongs(shape(2, 2), 1, 2, 3, 4), longs(0, 1)).dims())
                .containsExactly(0, 2);
    }

    @Test
    void halfPrecisionBitsMoveUnchanged() {
        short[] h = {Float16.fromFloat(1.5f), Float16.fromFloat(-2f)};
        Tensor x = Tensor.of(DataType.FLOAT16, shape(2), h);
        Tensor out = op("Concat", 13).attr("axis", 0L).run1(x, x);
        assertThat(out.shortData()).containsExactly(h[0], h[1], h[0], h[1]);
    }
}
