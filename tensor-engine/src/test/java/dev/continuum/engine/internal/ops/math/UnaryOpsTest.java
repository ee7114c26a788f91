package dev.continuum.engine.internal.ops.math;

import static dev.continuum.engine.internal.ops.math.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ValueType;
import org.junit.jupiter.api.Test;

class UnaryOpsTest {

    @Test
    void erfMatchesScipyToDoublePrecision() {
        // scipy.special.erf([0.5, 1, -2, 3, 1e-5])
        double[] x = {0.5, 1, -2, 3, 1e-5};
        double[] expected = {0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999779095030014,
            1.1283791670578999e-05};
        double[] y = op("Erf", 13).run(Tensor.ofDoubles(new int[] {5}, x)).doubleData();
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).as("erf(%s)", x[i]).isCloseTo(expected[i], within(1e-15 * Math.abs(expected[i])));
        }
    }

    @Test
    void float32ErfAgreesWithTheDoublePrecisionReferenceEverywhere() {
        // the float path is a float approximation (scalar: table interpolation, 1 ulp; Vector API: the
        // rational approximation of Eigen / XLA, absolute error below 4e-7, a few ulp near +-1); the
        // double path is the series / continued fraction
        int n = 20001;
        float[] x = new float[n];
        double[] xd = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -7f + 14f * i / (n - 1);
            xd[i] = x[i];
        }
        x[n / 2] = 1e-6f;
        xd[n / 2] = x[n / 2];
        float[] fast = op("Erf", 13).run(Tensor.ofFloats(new int[] {n}, x)).floatData();
        double[] exact = op("Erf", 13).run(Tensor.ofDoubles(new int[] {n}, xd)).doubleData();
        for (int i = 0; i < n; i++) {
            assertThat(fast[i]).as("Erf float32 at x=%s", x[i])
                    .isEqualTo((float) exact[i], within(Math.max(Math.ulp((float) exact[i]), 4e-7f)));
            assertThat(Math.abs(fast[i])).as("|Erf| float32 at x=%s", x[i]).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void geluMatchesPytorchForBothApproximations() {
        // torch.nn.functional.gelu(x) and gelu(x, approximate='tanh'), float64, x = [-1, 0, 1, 2]
        Tensor x = Tensor.ofDoubles(new int[] {4}, -1, 0, 1, 2);
        assertThat(op("Gelu", 20).run(x).doubleData()).containsExactly(new double[] {-0.15865525393145707, 0,
            0.8413447460685429, 1.9544997361036416}, within(1e-12));
        assertThat(op("Gelu", 20).attr("approximate", "tanh").run(x).doubleData()).containsExactly(new double[] {
            -0.15880800939172324, 0, 0.8411919906082768, 1.9545976940871754}, within(1e-12));
    }

    @Test
    void geluRejectsAnUnknownApproximation() {
        assertThatThrownBy(() -> op("Gelu", 20).attr("approximate", "fast").kernel(1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'approximate' is 'fast', expected 'none' or 'tanh'");
    }

    @Test
    void roundHalvesToEvenAsTheOnnxSpecExamples() {
        // ONNX Round spec: round([0.9, 2.5, 2.3, 1.5, -4.5]) = [1, 2, 2, 2, -4]
        Tensor y = op("Round", 11).run(Tensor.ofFloats(new int[] {5}, 0.9f, 2.5f, 2.3f, 1.5f, -4.5f));
        assertThat(y.floatData()).containsExactly(1, 2, 2, 2, -4);
    }

    @Test
    void activationsMatchTheirOnnxDefinitions() {
        Tensor x = Tensor.ofFloats(new int[] {4}, -3, -1, 0, 2);
        // LeakyRelu alpha 0.1: [-0.3, -0.1, 0, 2]
        assertThat(op("LeakyRelu", 16).attr("alpha", 0.1f).run(x).floatData())
                .containsExactly(new float[] {-0.3f, -0.1f, 0, 2}, within(1e-7f));
        // HardSigmoid defaults (0.2, 0.5): [0, 0.3, 0.5, 0.9]
        assertThat(op("HardSigmoid", 6).run(x).floatData()).containsExactly(new float[] {0, 0.3f, 0.5f, 0.9f},
                within(1e-7f));
        // HardSwish: x * clip(x/6 + 0.5, 0, 1) = [0, -1/3, 0, 5/3]
        assertThat(op("HardSwish", 14).run(x).floatData()).containsExactly(new float[] {0, -1 / 3f, 0, 5 / 3f},
                within(1e-6f));
        // numpy: 1/(1+exp(-x)) = [0.04742587, 0.26894142, 0.5, 0.88079708]
        assertThat(op("Sigmoid", 13).run(x).floatData()).containsExactly(
                new float[] {0.04742587f, 0.26894142f, 0.5f, 0.88079708f}, within(1e-7f));
        assertThat(op("Relu", 14).run(x).floatData()).containsExactly(0, 0, 0, 2);
    }

    @Test
    void reluAndNegAndAbsWorkOnSignedIntegers() {
        Tensor x = Tensor.of(DataType.INT8, new int[] {3}, new byte[] {-128, -5, 7});
        assertThat(op("Relu", 14).run(x).byteData()).containsExactly(0, 0, 7);
        // int8 wraps: -(-128) = -128 in numpy
        assertThat(op("Neg", 13).run(x).byteData()).containsExactly(-128, 5, -7);
        assertThat(op("Abs", 13).run(Tensor.ofLongs(new int[] {2}, -3, 4)).longData()).containsExactly(3, 4);
    }

    @Test
    void floatOnlyOpsRejectIntegerInput() {
        assertThatThrownBy(() -> op("Sqrt", 13).run(Tensor.ofInts(new int[] {1}, 4)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("Sqrt does not support int32 input");
    }

    @Test
    void bfloat16InputIsComputedInFloatAndRoundedBack() {
        // exp(0) = 1 -> bfloat16 0x3F80; sqrt(4) = 2 -> 0x4000
        Tensor x = Tensor.of(DataType.BFLOAT16, new int[] {2}, new short[] {0, 0x4080});
        assertThat(op("Exp", 13).run(x).shortData()[0]).isEqualTo((short) 0x3F80);
        assertThat(op("Sqrt", 13).run(x).shortData()[1]).isEqualTo((short) 0x4000);
    }

    @Test
    void emptyInputGivesEmptyOutputOfTheSameShape() {
        Tensor y = op("Tanh", 13).run(Tensor.ofFloats(new int[] {2, 0}));
        assertThat(y.shape()).containsExactly(2, 0);
    }

    @Test
    void unaryOutputTypeIsTheInputType() {
        assertThat(op("Log", 13).infer(ValueType.of(DataType.DOUBLE, -1, 5))[0])
                .isEqualTo(ValueType.of(DataType.DOUBLE, -1, 5));
    }
}
