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
import org.junit.jupiter.api.Test;

/** Reductions, ArgMax, CumSum, Trilu and Range; expected values from numpy. */
class ReductionOpsTest {
    private static final Tensor R = floats(shape(1, 2, 3), 5, 1, 3, 2, 8, 2);

    @Test
    void reduceSumAndMeanOverANegativeAxisMatchNumpy() {
        // numpy: r.sum(axis=-1, keepdims=True) -> [[[9],[12]]]; r.mean(axis=1) -> [[3.5, 4.5, 2.5]]
        Tensor sum = op("ReduceSum", 13).run1(R, longs(-1));
        assertThat(sum.dims()).containsExactly(1, 2, 1);
        assertThat(sum.floatData()).containsExactly(9, 12);
        Tensor mean = op("ReduceMean", 13).ints("axes", 1).attr("keepdims", 0L).run1(R);
        assertThat(mean.dims()).containsExactly(1, 3);
        assertThat(values(mean)).containsExactly(new double[] {3.5, 4.5, 2.5}, within(1e-6));
        Tensor mean18 = op("ReduceMean", 18).attr("keepdims", 0L).run1(R, longs(1));
        assertThat(mean18.floatData()).containsExactly(3.5f, 4.5f, 2.5f);
    }

    @Test
    void reduceMaxAndMinWorkOnIntegers() {
        Tensor x = Tensor.ofLongs(shape(2, 2), 4, -7, 1, 9);
        assertThat(op("ReduceMax", 18).run1(x, longs(0)).longData()).containsExactly(4, 9);
        assertThat(op("ReduceMin", 13).ints("axes", -1).attr("keepdims", 0L).run1(x).longData()).containsExactly(-7, 1);
        assertThat(op("ReduceMax", 13).run1(x).longData()).containsExactly(9);
        Tensor flags = Tensor.ofBools(shape(2, 2), false, true, false, false);
        assertThat(op("ReduceMax", 20).attr("keepdims", 0L).run1(flags, longs(1)).byteData()).containsExactly(1, 0);
    }

    @Test
    void reducingAnEmptyAxisGivesTheIdentity() {
        Tensor empty = Tensor.zeros(DataType.FLOAT, 2, 0);
        assertThat(op("ReduceSum", 13).run1(empty, longs(1)).floatData()).containsExactly(0f, 0f);
        assertThat(op("ReduceMax", 18).run1(empty, longs(1)).floatData())
                .containsExactly(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Test
    void emptyAxesAreANoopOnlyWhenAsked() {
        Tensor noop = op("ReduceSum", 13).attr("noop_with_empty_axes", 1L).run1(R, longs());
        assertThat(noop.dims()).containsExactly(1, 2, 3);
        assertThat(op("ReduceSum", 13).run1(R, longs()).floatData()).containsExactly(21);
    }

    @Test
    void reduceRejectsAnAxisOutOfRange() {
        assertThatThrownBy(() -> op("ReduceSum", 11).ints("axes", 3).run1(R))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("axes value 3 is out of range for rank 3");
    }

    @Test
    void argMaxPicksTheFirstOrLastOfTies() {
        Tensor x = floats(shape(2, 3), 1, 7, 7, 4, 2, 4);
        assertThat(op("ArgMax", 13).attr("axis", -1L).run1(x).longData()).containsExactly(1, 0);
        Tensor last = op("ArgMax", 13).attr("axis", -1L).attr("keepdims", 0L).attr("select_last_index", 1L).run1(x);
        assertThat(last.dims()).containsExactly(2);
        assertThat(last.longData()).containsExactly(2, 2);
    }

    @Test
    void cumSumExclusiveReverseMatchesNumpy() {
        // numpy: np.cumsum(v[::-1])[::-1] - v for v = [1,2,3,4]
        Tensor v = floats(shape(4), 1, 2, 3, 4);
        Tensor out = op("CumSum", 14).attr("exclusive", 1L).attr("reverse", 1L).run1(v, Tensor.ofInts(shape(), -1));
        assertThat(out.floatData()).containsExactly(9, 7, 4, 0);
        Tensor ints = op("CumSum", 14).run1(Tensor.ofInts(shape(2, 2), 1, 2, 3, 4), longs(0));
        assertThat(ints.intData()).containsExactly(1, 2, 4, 6);
    }

    @Test
    void triluMatchesNumpyTriuAndTril() {
        Tensor t = Tensor.ofLongs(shape(3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        // np.triu(t, 1), np.tril(t, -1)
        assertThat(op("Trilu", 14).run1(t, Tensor.ofLongs(shape(), 1)).longData())
                .containsExactly(0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12);
        assertThat(op("Trilu", 14).attr("upper", 0L).run1(t, Tensor.ofLongs(shape(), -1)).longData())
                .containsExactly(0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0);
    }

    @Test
    void rangeCountsDownAndUsesTheInputType() {
        // np.arange(10, 4, -3) -> [10, 7]; np.arange(1, 2, 0.3, dtype=float32) has 4 entries
        Tensor ints = op("Range", 11).run1(Tensor.ofInts(shape(), 10), Tensor.ofInts(shape(), 4), Tensor.ofInts(shape(), -3));
        assertThat(ints.intData()).containsExactly(10, 7);
        Tensor f = op("Range", 11).run1(floats(shape(), 1f), floats(shape(), 2f), floats(shape(), 0.3f));
        assertThat(values(f)).containsExactly(new double[] {1, 1.3, 1.6, 1.9}, within(1e-6));
        Tensor none = op("Range", 11).run1(floats(shape(), 1f), floats(shape(), 0f), floats(shape(), 1f));
        assertThat(none.dims()).containsExactly(0);
    }
}
