package dev.continuum.engine.internal.ops.math;

import static dev.continuum.engine.internal.ops.math.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

class ClipDropoutIdentityTest {
    private static final Tensor X = Tensor.ofFloats(new int[] {5}, -2, -1, 0, 1, Float.NaN);

    @Test
    void clipBeforeOpset11ReadsAttributes() {
        // numpy: np.clip([-2, -1, 0, 1, nan], -1, 0.5) = [-1, -1, 0, 0.5, nan]
        Tensor y = op("Clip", 6).attr("min", -1f).attr("max", 0.5f).run(X);
        assertThat(y.floatData()).containsExactly(-1, -1, 0, 0.5f, Float.NaN);
    }

    @Test
    void clipFromOpset11ReadsOptionalInputs() {
        Tensor y = op("Clip", 13).run(X, null, Tensor.ofFloats(new int[0], 0));
        assertThat(y.floatData()).containsExactly(-2, -1, 0, 0, Float.NaN);
        // ONNX test_clip_min_greater_than_max: min 2 > max 1 gives max everywhere
        Tensor z = op("Clip", 13).run(X, Tensor.ofFloats(new int[0], 2), Tensor.ofFloats(new int[0], 1));
        assertThat(z.floatData()).containsExactly(1, 1, 1, 1, Float.NaN);
    }

    @Test
    void clipWorksOnInt8() {
        Tensor x = Tensor.of(DataType.INT8, new int[] {3}, new byte[] {-100, 0, 100});
        Tensor lo = Tensor.of(DataType.INT8, new int[0], new byte[] {-10});
        assertThat(op("Clip", 13).run(x, lo).byteData()).containsExactly(-10, 0, 100);
    }

    @Test
    void clipRejectsANonScalarBound() {
        assertThatThrownBy(() -> op("Clip", 13).run(X, Tensor.ofFloats(new int[] {2}, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Clip input 'min' must be a scalar, got shape [2]");
    }

    @Test
    void dropoutAtInferenceIsTheIdentityWithAnAllTrueMask() {
        Tensor[] out = op("Dropout", 22).runAll(2, X, Tensor.ofFloats(new int[0], 0.5f));
        assertThat(out[0].floatData()).containsExactly(X.floatData());
        assertThat(out[1].dataType()).isEqualTo(DataType.BOOL);
        assertThat(out[1].byteData()).containsExactly(1, 1, 1, 1, 1);
        ValueType[] t = op("Dropout", 22).infer(ValueType.of(DataType.FLOAT, 3, -1));
        assertThat(t[1]).isEqualTo(ValueType.of(DataType.BOOL, 3, -1));
    }

    @Test
    void dropoutInTrainingModeIsUnsupportedUnlessTheRatioIsZero() {
        Tensor yes = Tensor.ofBools(new int[0], true);
        assertThatThrownBy(() -> op("Dropout", 22).runAll(2, X, Tensor.ofFloats(new int[0], 0.5f), yes))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("training_mode");
        Tensor[] out = op("Dropout", 22).runAll(2, X, Tensor.ofFloats(new int[0], 0f), yes);
        assertThat(out[0].floatData()).containsExactly(X.floatData());
    }

    @Test
    void dropout7MaskHasTheInputType() {
        Tensor[] out = op("Dropout", 7).attr("ratio", 0.3f).runAll(2, Tensor.ofFloats(new int[] {2}, 1, 2));
        assertThat(out[1].floatData()).containsExactly(1, 1);
    }

    @Test
    void identityReturnsItsInput() {
        Tensor x = Tensor.ofInts(new int[] {0, 2});
        assertThat(op("Identity", 25).run(x)).isSameAs(x);
    }
}
