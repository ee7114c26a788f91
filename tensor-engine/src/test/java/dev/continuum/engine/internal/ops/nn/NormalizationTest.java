package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.i;
import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;
import static dev.continuum.engine.internal.ops.nn.NnTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

/** BatchNormalization, InstanceNormalization and LayerNormalization; expected values from numpy. */
class NormalizationTest {

    @Test
    void layerNormalizationOverNegativeAxisMatchesNumpyWithMeanAndInvStdDev() {
        Kernel k = kernel("LayerNormalization", 17, 3, 3, i("axis", -2));
        Tensor x = Tensor.ofFloats(new int[] {2, 3, 2}, 1, 2, 3, 4, 5, 7, -1, 0, 2, 8, 1, 1);
        Tensor scale = Tensor.ofFloats(new int[] {3, 2}, 1, 2, 0.5f, 1, 1, -1);
        Tensor b = Tensor.ofFloats(new int[] {3, 2}, 0, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f);
        Tensor[] out = run(k, x, scale, b);
        assertThat(out[0].floatData()).containsExactly(new float[] {
            -1.352245f, -1.590306f, 0.03096937f, 0.4690306f, 1.076123f, -1.190306f,
            -0.9734166f, -1.159716f, 0.2286299f, 2.418613f, 0.113701f, 0.786299f}, within(1e-5f));
        assertThat(out[1].shape()).containsExactly(2, 1, 1);
        assertThat(out[1].floatData()).containsExactly(new float[] {3.666667f, 1.833333f}, within(1e-5f));
        assertThat(out[2].floatData()).containsExactly(new float[] {0.5070919f, 0.3435588f}, within(1e-5f));
    }

    /**
     * The kernel keeps Scale and B converted from one run to the next: a run whose Scale or B differ
     * (other values in the same tensor, other dims, B dropped) must use its own.
     */
    @Test
    void layerNormalizationFollowsAScaleAndBiasThatChangeBetweenRuns() {
        Kernel k = kernel("LayerNormalization", 17, 3, 1, i("axis", -1));
        Tensor x = Tensor.ofFloats(new int[] {2, 2}, 1, 3, -2, 2);
        Tensor scale = Tensor.ofFloats(new int[] {2}, 1, 1);
        Tensor b = Tensor.ofFloats(new int[] {2}, 0, 0);
        float[] normalised = {-1f, 1f, -1f, 1f}; // each row's (x - mean) / std, epsilon aside
        assertThat(run(k, x, scale, b)[0].floatData()).containsExactly(normalised, within(1e-4f));
        scale.floatData()[1] = 3; // the same tensor, changed in place
        b.floatData()[0] = 10;
        assertThat(run(k, x, scale, b)[0].floatData()).containsExactly(new float[] {9, 3, 9, 3}, within(1e-4f));
        assertThat(run(k, x, Tensor.ofFloats(new int[] {1}, 2), b)[0].floatData())
                .containsExactly(new float[] {8, 2, 8, 2}, within(1e-4f));
        assertThat(run(k, x, Tensor.ofFloats(new int[] {1}, 2))[0].floatData())
                .containsExactly(new float[] {-2, 2, -2, 2}, within(1e-4f));
    }

    @Test
    void layerNormalizationInfersStatisticShapes() {
        Kernel k = kernel("LayerNormalization", 17, 3, 3, i("axis", 1));
        ValueType[] t = k.inferTypes(PoolTest.types(ValueType.of(DataType.FLOAT, 4, -1, 6)));
        assertThat(t[0].shape()).containsExactly(4, -1, 6);
        assertThat(t[1].shape()).containsExactly(4, 1, 1);
    }

    @Test
    void layerNormalizationOfAnEmptyBatchIsEmpty() {
        Kernel k = kernel("LayerNormalization", 17, 2, 1);
        Tensor[] out = run(k, Tensor.zeros(DataType.FLOAT, 0, 4), Tensor.ofFloats(new int[] {4}, 1, 1, 1, 1));
        assertThat(out[0].shape()).containsExactly(0, 4);
    }

    @Test
    void layerNormalizationAxisOutOfRangeIsRejected() {
        Kernel k = kernel("LayerNormalization", 17, 2, 1, i("axis", 2));
        assertThatThrownBy(() -> run(k, Tensor.zeros(DataType.FLOAT, 2, 4), Tensor.ofFloats(new int[] {4}, 1, 1, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'axis' 2 is out of range for rank 2");
    }

    @Test
    void batchNormalizationUsesTheGivenStatistics() {
        Kernel k = kernel("BatchNormalization", 15, 5, 1);
        Tensor x = Tensor.ofFloats(new int[] {2, 2, 3}, NnTesting.ramp(12, 1, 0));
        Tensor[] out = run(k, x, Tensor.ofFloats(new int[] {2}, 1, 2), Tensor.ofFloats(new int[] {2}, 0.5f, -0.5f),
                Tensor.ofFloats(new int[] {2}, 1, 4), Tensor.ofFloats(new int[] {2}, 4, 0.25f));
        assertThat(out[0].floatData()).containsExactly(new float[] {
            6.249988e-07f, 0.5f, 0.9999994f, -4.49992f, -0.5f, 3.49992f,
            2.999997f, 3.499996f, 3.999996f, 19.4996f, 23.49952f, 27.49944f}, within(1e-5f));
    }

    @Test
    void batchNormalizationTrainingModeIsUnsupported() {
        assertThatThrownBy(() -> kernel("BatchNormalization", 15, 5, 3, i("training_mode", 1)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("training_mode=1");
    }

    @Test
    void instanceNormalizationNormalisesEachPlane() {
        Kernel k = kernel("InstanceNormalization", 6, 3, 1);
        Tensor x = Tensor.ofFloats(new int[] {1, 2, 3}, 1, 2, 4, 0, 0, 3);
        Tensor[] out = run(k, x, Tensor.ofFloats(new int[] {2}, 1, -1), Tensor.ofFloats(new int[] {2}, 0, 1));
        assertThat(out[0].floatData()).containsExactly(new float[] {
            -1.069042f, -0.2672604f, 1.336302f, 1.707105f, 1.707105f, -0.41421f}, within(1e-5f));
    }
}
