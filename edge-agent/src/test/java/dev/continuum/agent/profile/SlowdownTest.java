package dev.continuum.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.agent.FakeController;
import dev.continuum.agent.serving.InferenceService;
import dev.continuum.agent.serving.ModelServer;
import dev.continuum.agent.serving.ServedModel;
import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.engine.Model;
import dev.continuum.engine.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowdownTest {
    @Test
    void aFactorBelowOneOrNotANumberIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new Slowdown(0.9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emulate-slowdown: expected a factor of at least 1 (1 = off), got 0.9");
        assertThatThrownBy(() -> new Slowdown(Double.NaN)).hasMessageStartingWith("emulate-slowdown:");
        assertThatThrownBy(() -> new Slowdown(Double.POSITIVE_INFINITY)).hasMessageStartingWith("emulate-slowdown:");
        assertThat(new Slowdown(1).active()).isFalse();
        assertThat(new Slowdown(1.5).active()).isTrue();
    }

    @Test
    void stretchingWaitsUntilFactorTimesTheWorkHasPassed() {
        Slowdown s = new Slowdown(4);
        long start = System.nanoTime();
        s.stretch(start, 20_000_000); // as if the work took 20 ms
        assertThat(System.nanoTime() - start).as("at least 4 x 20 ms after the start").isGreaterThanOrEqualTo(80_000_000);
    }

    @Test
    void aThrowingRunIsStretchedTooAndItsExceptionPassesThrough() {
        Slowdown s = new Slowdown(2);
        assertThatThrownBy(() -> s.run(() -> {
            throw new IllegalStateException("engine failed");
        })).hasMessage("engine failed");
    }

    @Test
    void theProfileAndTheLatencyProbeReportTheSlowedFigures() {
        Slowdown s = new Slowdown(8);
        assertThat(s.scaleThroughput(10.0)).isEqualTo(1.25);
        assertThat(s.scaleMicros(1500)).isEqualTo(12_000);
        assertThat(Slowdown.NONE.scaleThroughput(3.14)).isEqualTo(3.14);
        assertThat(DeviceProfiler.measure(1, 20, new Slowdown(1e6)).getEngineGflops())
                .as("a million times slower device still reports a throughput (a 0 would read as unknown)")
                .isPositive().isLessThan(1e-3);
    }

    @Test
    void aSlowedInferenceGivesTheSameAnswerAndTelemetryRecordsTheStretchedTime() {
        Model m = Model.load(FakeController.lenetBytes());
        ModelServer server = new ModelServer();
        server.swap(new ServedModel("lenet", "1", "sha", m, m.newSession()));
        float[] data = new float[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 13) / 13f;
        }
        Map<String, Tensor> in = Map.of("input", Tensor.ofFloats(new int[] {1, 1, 32, 32}, data));
        RequestRecorder fastRec = new RequestRecorder();
        RequestRecorder slowRec = new RequestRecorder();
        InferenceService fast = new InferenceService(server, () -> true, "t", fastRec);
        InferenceService slow = new InferenceService(server, () -> true, "t", slowRec, new Slowdown(50));
        fast.infer("lenet", null, in, List.of()); // warm up
        fastRec.drain();
        Tensor expected = fast.infer("lenet", null, in, List.of()).outputs().values().iterator().next();
        Tensor got = slow.infer("lenet", null, in, List.of()).outputs().values().iterator().next();
        assertThat(got.floatData()).containsExactly(expected.floatData());
        long fastMicros = fastRec.drain().get(0).getLatency().getSumMicros();
        long slowMicros = slowRec.drain().get(0).getLatency().getSumMicros();
        assertThat(slowMicros).as("50 x the engine's time is recorded").isGreaterThan(fastMicros);
        server.clear();
    }
}
