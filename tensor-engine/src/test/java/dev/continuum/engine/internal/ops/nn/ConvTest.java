package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.i;
import static dev.continuum.engine.internal.ops.nn.NnTesting.ints;
import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;
import static dev.continuum.engine.internal.ops.nn.NnTesting.run;
import static dev.continuum.engine.internal.ops.nn.NnTesting.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.WorkerPool;
import org.junit.jupiter.api.Test;

/** Conv and ConvTranspose; expected values from a direct numpy loop over the ONNX definition. */
class ConvTest {
    /** x (1,2,4,5) = arange / 10 - 1.5. */
    private static Tensor x() {
        float[] v = new float[40];
        for (int j = 0; j < v.length; j++) {
            v[j] = j / 10f - 1.5f;
        }
        return Tensor.ofFloats(new int[] {1, 2, 4, 5}, v);
    }

    /** w (3,2,3,3) = (arange % 7 - 3) / 4. */
    private static Tensor w() {
        float[] v = new float[54];
        for (int j = 0; j < v.length; j++) {
            v[j] = (j % 7 - 3) / 4f;
        }
        return Tensor.ofFloats(new int[] {3, 2, 3, 3}, v);
    }

    @Test
    void conv2dWithPadsStridesAndBiasMatchesNumpy() {
        Kernel k = kernel("Conv", 22, 3, 1, ints("pads", 1, 1, 1, 1), ints("strides", 2, 1));
        Tensor y = run(k, x(), w(), Tensor.ofFloats(new int[] {3}, 0.5f, -1f, 0.25f))[0];
        assertThat(y.shape()).containsExactly(1, 3, 2, 5);
        assertThat(y.floatData()).containsExactly(new float[] {
            0.3f, -0.775f, -0.775f, -0.775f, 0.225f, 0.55f, 0.675f, 0.525f, 0.375f, 1.475f,
            -0.525f, 1f, 0.975f, 0.95f, 1.8f, -2.75f, -1.225f, -1.15f, -1.075f, 1.25f,
            -1.225f, -0.775f, -0.825f, -0.875f, -0.175f, -0.675f, 0.325f, 0.275f, 0.225f, -0.075f}, within(1e-5f));
    }

    @Test
    void depthwiseConvWithDilationsMatchesNumpy() {
        Kernel k = kernel("Conv", 11, 2, 1, i("group", 2), ints("dilations", 2, 2));
        Tensor wd = Tensor.ofFloats(new int[] {2, 1, 2, 2}, -1.5f, -1f, -0.5f, 0f, 0.5f, 1f, 1.5f, 2f);
        Tensor y = run(k, x(), wd)[0];
        assertThat(y.shape()).containsExactly(1, 2, 2, 3);
        assertThat(y.floatData()).containsExactly(new float[] {
            3.8f, 3.5f, 3.2f, 2.3f, 2f, 1.7f, 6.6f, 7.1f, 7.6f, 9.1f, 9.6f, 10.1f}, within(1e-5f));
    }

    @Test
    void sameLowerPadsTheExtraRowAtTheStart() {
        Kernel k = kernel("Conv", 22, 2, 1, s("auto_pad", "SAME_LOWER"), ints("strides", 2, 2));
        Tensor w1 = Tensor.ofFloats(new int[] {1, 2, 3, 3}, java.util.Arrays.copyOf(w().floatData(), 18));
        Tensor y = run(k, x(), w1)[0];
        assertThat(y.shape()).containsExactly(1, 1, 2, 3);
        assertThat(y.floatData()).containsExactly(new float[] {-0.2f, -1.275f, -0.275f, 0.05f, 0.025f, 0.975f},
                within(1e-5f));
    }

    @Test
    void parallelConvMatchesSerialConv() {
        Kernel k = kernel("Conv", 22, 2, 1, ints("pads", 1, 1, 1, 1));
        // Three images: one (image, group) per task. One large image: parallel im2col and sgemm.
        Tensor batch = Tensor.ofFloats(new int[] {3, 2, 4, 5}, NnTesting.ramp(120, 0.01f, -0.6f));
        Tensor large = Tensor.ofFloats(new int[] {1, 2, 64, 64}, NnTesting.ramp(8192, 0.001f, -4f));
        Tensor wLarge = Tensor.ofFloats(new int[] {16, 2, 3, 3}, NnTesting.ramp(288, 0.01f, -1.4f));
        WorkerPool pool = new WorkerPool(3);
        try {
            ExecContext ctx = new ExecContext(pool, 3);
            assertThat(k.compute(ctx, new Tensor[] {batch, w()})[0].floatData())
                    .containsExactly(run(k, batch, w())[0].floatData());
            assertThat(k.compute(ctx, new Tensor[] {large, wLarge})[0].floatData())
                    .containsExactly(run(k, large, wLarge)[0].floatData());
        } finally {
            pool.close();
        }
    }

    @Test
    void emptyBatchGivesEmptyOutput() {
        Kernel k = kernel("Conv", 22, 2, 1, ints("pads", 1, 1, 1, 1));
        Tensor y = run(k, Tensor.zeros(dev.continuum.engine.DataType.FLOAT, 0, 2, 4, 5), w())[0];
        assertThat(y.shape()).containsExactly(0, 3, 4, 5);
    }

    @Test
    void kernelShapeOfWrongRankIsRejectedNamingTheAttribute() {
        Kernel k = kernel("Conv", 22, 2, 1, ints("kernel_shape", 3, 3, 3));
        assertThatThrownBy(() -> run(k, x(), w()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'kernel_shape' has 3 dims, input has 2 spatial dims");
    }

    @Test
    void unknownAutoPadIsRejectedWhenTheKernelIsMade() {
        assertThatThrownBy(() -> kernel("Conv", 22, 2, 1, s("auto_pad", "SAME")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'auto_pad'");
    }

    @Test
    void convTranspose1dWithPadsAndOutputPaddingMatchesNumpy() {
        Kernel k = kernel("ConvTranspose", 22, 2, 1, ints("strides", 2), ints("pads", 1, 1), ints("output_padding", 1));
        Tensor xt = Tensor.ofFloats(new int[] {1, 1, 3}, 1f, 2f, -1f);
        Tensor wt = Tensor.ofFloats(new int[] {1, 2, 3}, 1f, 0.5f, -2f, 0.25f, 1f, 3f);
        Tensor y = run(k, xt, wt)[0];
        assertThat(y.shape()).containsExactly(1, 2, 6);
        assertThat(y.floatData()).containsExactly(new float[] {0.5f, 0f, 1f, -5f, -0.5f, 2f, 1f, 3.5f, 2f, 5.75f, -1f, -3f},
                within(1e-6f));
    }

    @Test
    void convTransposeOutputShapeLargerThanNaturalIsZeroAtTheEnd() {
        Kernel k = kernel("ConvTranspose", 22, 2, 1, ints("strides", 2), ints("output_shape", 8));
        Tensor xt = Tensor.ofFloats(new int[] {1, 1, 3}, 1f, 2f, -1f);
        Tensor wt = Tensor.ofFloats(new int[] {1, 1, 1}, 2f);
        Tensor y = run(k, xt, wt)[0];
        assertThat(y.floatData()).containsExactly(2f, 0f, 4f, 0f, -2f, 0f, 0f, 0f);
    }

    @Test
    void convTransposeOutputShapeShorterThanTheSpatialDimsIsRejectedNamingTheAttribute() {
        Kernel k = kernel("ConvTranspose", 22, 2, 1, ints("output_shape", 8));
        Tensor xt = Tensor.ofFloats(new int[] {1, 1, 2, 2}, 1f, 2f, 3f, 4f);
        Tensor wt = Tensor.ofFloats(new int[] {1, 1, 1, 1}, 2f);
        assertThatThrownBy(() -> run(k, xt, wt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'output_shape' has 1 values, expected at least 2");
    }
}
