package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Session#zeroInputs()} and {@link Session#warmUp}: zeros of the declared shapes, bounded runs. */
class SessionWarmUpTest {
    private static final Path LENET = OnnxNodeConformanceTest.resource("models/lenet").resolve("model.onnx");

    @Test
    void zeroInputsHaveTheDeclaredTypesAndShapes() {
        try (Session s = Model.load(LENET).newSession(SessionOptions.defaults())) {
            Map<String, Tensor> in = s.zeroInputs();
            assertThat(in.keySet()).containsExactlyElementsOf(s.inputs().stream().map(TensorInfo::name).toList());
            for (TensorInfo i : s.inputs()) {
                Tensor t = in.get(i.name());
                assertThat(t.dataType()).isEqualTo(i.dataType());
                int[] expected = i.shape().clone();
                for (int d = 0; d < expected.length; d++) {
                    expected[d] = expected[d] < 0 ? 1 : expected[d];
                }
                assertThat(t.shape()).containsExactly(expected);
                assertThat(t.floatData()).containsOnly(0f);
            }
        }
    }

    @Test
    void warmUpRunsUpToItsCountAndAtLeastThreeWithinTheTime() {
        try (Session s = Model.load(LENET).newSession(SessionOptions.defaults())) {
            Map<String, Tensor> zeros = s.zeroInputs();
            assertThat(s.warmUp(zeros, 50, 60_000)).isEqualTo(50);
            assertThat(s.warmUp(zeros, 1_000_000, 0)).as("no time left: the three runs only").isEqualTo(3);
            assertThat(s.warmUp(zeros, 2, 0)).isEqualTo(2);
            assertThat(s.warmUp(zeros, 0, 1000)).isZero();
            assertThat(s.warmUp()).isBetween(3, Session.WARM_UP_RUNS);
        }
    }

    @Test
    void negativeBoundsAreRefusedByName() {
        try (Session s = Model.load(LENET).newSession(SessionOptions.defaults())) {
            Map<String, Tensor> zeros = s.zeroInputs();
            assertThatThrownBy(() -> s.warmUp(zeros, -1, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("warm-up").hasMessageContaining("-1");
            assertThatThrownBy(() -> s.warmUp(zeros, 10, -5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-5");
            assertThatThrownBy(() -> s.warmUp(Map.of(), 10, 10)).isInstanceOf(InvalidInputException.class);
        }
    }
}
