package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.i;
import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;
import static dev.continuum.engine.internal.ops.nn.NnTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Softmax and LogSoftmax in both their opset semantics; expected values from numpy. */
class SoftmaxTest {
    /** (2,3,2) with large values to check the max subtraction. */
    private static Tensor x() {
        return Tensor.ofFloats(new int[] {2, 3, 2}, 1, 2, 3, -1, 0.5f, 0, 10, 0, 1000, 1, 1001, 2);
    }

    @Test
    void softmaxOverNegativeAxisMatchesNumpy() {
        Tensor y = run(kernel("Softmax", 13, i("axis", -2)), x())[0];
        assertThat(y.floatData()).containsExactly(new float[] {
            0.1111656f, 0.8437947f, 0.821409f, 0.04201007f, 0.06742536f, 0.1141952f,
            0f, 0.09003057f, 0.2689414f, 0.2447285f, 0.7310586f, 0.665241f}, within(1e-6f));
    }

    @Test
    void logSoftmaxBeforeOpset13CoercesTheInputTo2dAtAxis() {
        // numpy: x.reshape(2, 6), log-softmax along axis 1.
        Tensor y = run(kernel("LogSoftmax", 11), x())[0];
        assertThat(y.shape()).containsExactly(2, 3, 2);
        assertThat(y.floatData()).containsExactly(new float[] {
            -2.502835f, -1.502835f, -0.5028352f, -4.502835f, -3.002835f, -3.502835f,
            -991.3133f, -1001.313f, -1.313262f, -1000.313f, -0.3132617f, -999.3133f}, within(1e-3f));
    }

    @Test
    void softmaxOfAnEmptyTensorIsEmpty() {
        Tensor y = run(kernel("Softmax", 13), Tensor.zeros(DataType.FLOAT, 0, 3))[0];
        assertThat(y.shape()).containsExactly(0, 3);
    }

    @Test
    void axisOutOfRangeIsRejectedNamingTheAttribute() {
        assertThatThrownBy(() -> run(kernel("Softmax", 13, i("axis", 3)), x()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'axis' 3 is out of range for rank 3");
    }
}
