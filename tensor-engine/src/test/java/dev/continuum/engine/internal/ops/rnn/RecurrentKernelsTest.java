package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.ops.TestNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from a numpy transcription of the ONNX RNN/GRU/LSTM equations (float64
 * arithmetic, float32 inputs). Inputs follow the numpy script's pattern
 * {@code ((i * 7 + 3) % 11) / 10 * scale - offset}, cast to float32, see {@link #pattern}.
 */
class RecurrentKernelsTest {

    static float[] pattern(int n, double scale, double offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (((i * 7 + 3) % 11) / 10.0 * scale - offset);
        }
        return v;
    }

    private static Tensor[] run(Kernel k, Tensor... inputs) {
        return k.compute(ExecContext.serial(), inputs);
    }

    @Test
    void bidirectionalBatchMajorLstmWithSequenceLengthsMatchesNumpy() {
        Kernel lstm = new Lstm(TestNodes.op("LSTM").s("direction", "bidirectional").i("hidden_size", 2)
                .i("layout", 1).node(14));
        Tensor x = Tensor.ofFloats(new int[] {2, 3, 2}, pattern(12, 1.0, 0.5));
        Tensor w = Tensor.ofFloats(new int[] {2, 8, 2}, pattern(32, 0.8, 0.4));
        Tensor r = Tensor.ofFloats(new int[] {2, 8, 2}, pattern(32, 0.6, 0.3));
        Tensor b = Tensor.ofFloats(new int[] {2, 16}, pattern(32, 0.4, 0.2));
        Tensor lens = Tensor.ofInts(new int[] {2}, 3, 1);
        Tensor h0 = Tensor.ofFloats(new int[] {2, 2, 2}, pattern(8, 0.5, 0.25));
        Tensor c0 = Tensor.ofFloats(new int[] {2, 2, 2}, pattern(8, 0.3, 0.1));

        Tensor[] out = run(lstm, x, w, r, b, lens, h0, c0, null);

        assertThat(out[0].shape()).containsExactly(2, 3, 2, 2);
        assertThat(out[0].floatData()).containsExactly(new float[] {
            -0.09183525f, 0.16192310f, -0.01145554f, -0.02868623f, -0.12264936f, 0.11839747f,
            -0.08711792f, 0.01885898f, -0.11159261f, 0.10940684f, -0.05762834f, -0.00866355f,
            -0.03983687f, 0.10572225f, 0.02993893f, 0.01316710f, 0, 0, 0, 0, 0, 0, 0, 0}, within(1e-5f));
        assertThat(out[1].shape()).containsExactly(2, 2, 2);
        assertThat(out[1].floatData()).containsExactly(new float[] {
            -0.11159261f, 0.10940684f, -0.01145554f, -0.02868623f,
            -0.03983687f, 0.10572225f, 0.02993893f, 0.01316710f}, within(1e-5f));
        assertThat(out[2].floatData()).containsExactly(new float[] {
            -0.20406254f, 0.25943726f, -0.01862891f, -0.05202967f,
            -0.07827117f, 0.22013101f, 0.04697253f, 0.02381267f}, within(1e-5f));
    }

    @Test
    void reverseGruWithLinearBeforeResetAndClipMatchesNumpy() {
        Kernel gru = new Gru(TestNodes.op("GRU").s("direction", "reverse").i("hidden_size", 2)
                .i("linear_before_reset", 1).f("clip", 0.5f).node(14));
        Tensor x = Tensor.ofFloats(new int[] {3, 1, 2}, pattern(6, 1.0, 0.5));
        Tensor w = Tensor.ofFloats(new int[] {1, 6, 2}, pattern(12, 0.8, 0.4));
        Tensor r = Tensor.ofFloats(new int[] {1, 6, 2}, pattern(12, 0.6, 0.3));
        Tensor b = Tensor.ofFloats(new int[] {1, 12}, pattern(12, 0.4, 0.2));

        Tensor[] out = run(gru, x, w, r, b);

        assertThat(out[0].shape()).containsExactly(3, 1, 1, 2);
        assertThat(out[0].floatData()).containsExactly(new float[] {
            0.11001125f, -0.04936334f, 0.21700297f, 0.02280101f, 0.09720095f, 0.01354358f}, within(1e-5f));
        assertThat(out[1].floatData()).containsExactly(new float[] {0.11001125f, -0.04936334f}, within(1e-5f));
    }

    @Test
    void rnnLeakyReluTakesItsAlphaFromActivationAlpha() {
        Kernel rnn = new Rnn(TestNodes.op("RNN").i("hidden_size", 3).strings("activations", "LeakyRelu")
                .floats("activation_alpha", 0.3f).node(7));
        Tensor x = Tensor.ofFloats(new int[] {2, 1, 2}, pattern(4, 2.0, 1.0));
        Tensor w = Tensor.ofFloats(new int[] {1, 3, 2}, pattern(6, 1.6, 0.8));
        Tensor r = Tensor.ofFloats(new int[] {1, 3, 3}, pattern(9, 1.2, 0.6));

        Tensor[] out = run(rnn, x, w, r);

        assertThat(out[0].floatData()).containsExactly(new float[] {
            0.92800003f, -0.16319999f, -0.07680000f, -0.26215681f, -0.02772480f, -0.11009280f}, within(1e-5f));
    }

    @Test
    void emptyBatchGivesEmptyOutputsOfTheRightShape() {
        Kernel lstm = new Lstm(TestNodes.op("LSTM").i("hidden_size", 2).node(14));
        Tensor x = Tensor.ofFloats(new int[] {3, 0, 2});
        Tensor w = Tensor.ofFloats(new int[] {1, 8, 2}, pattern(16, 1, 0.5));
        Tensor r = Tensor.ofFloats(new int[] {1, 8, 2}, pattern(16, 1, 0.5));

        Tensor[] out = run(lstm, x, w, r);

        assertThat(out[0].shape()).containsExactly(3, 1, 0, 2);
        assertThat(out[1].shape()).containsExactly(1, 0, 2);
        assertThat(out[2].shape()).containsExactly(1, 0, 2);
    }

    @Test
    void unknownDirectionIsRejectedNamingTheAttribute() {
        assertThatThrownBy(() -> new Gru(TestNodes.op("GRU").s("direction", "sideways").node(14)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'direction' must be forward, reverse or bidirectional, got 'sideways'");
    }

    @Test
    void wrongNumberOfActivationsIsRejected() {
        assertThatThrownBy(() -> new Lstm(TestNodes.op("LSTM").s("direction", "bidirectional")
                .strings("activations", "Sigmoid", "Tanh").node(14)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'activations' has 2 functions, expected 3 or 6");
    }

    @Test
    void weightsOfTheWrongShapeAreRejectedNamingTheInput() {
        Kernel rnn = new Rnn(TestNodes.op("RNN").i("hidden_size", 3).node(14));
        Tensor x = Tensor.ofFloats(new int[] {1, 1, 2}, 1, 2);
        Tensor w = Tensor.ofFloats(new int[] {1, 3, 3}, new float[9]);
        Tensor r = Tensor.ofFloats(new int[] {1, 3, 3}, new float[9]);

        assertThatThrownBy(() -> run(rnn, x, w, r))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input 'W' has shape [1,3,3], expected [1,3,2]");
    }

    @Test
    void doubleInputIsUnsupported() {
        Kernel rnn = new Rnn(TestNodes.op("RNN").i("hidden_size", 1).node(14));
        Tensor x = Tensor.ofDoubles(new int[] {1, 1, 1}, 1);
        Tensor w = Tensor.ofDoubles(new int[] {1, 1, 1}, 1);

        assertThatThrownBy(() -> run(rnn, x, w, w))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("float64");
    }
}
