package dev.continuum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.engine.DataType;
import dev.continuum.engine.TensorInfo;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The latency, failure and request models the simulated devices draw from. */
class TrafficModelTest {
    @Test
    void edgeLatencyIsFlopsOverTheDevicesThroughputAndCloudLatencyAddsTheRoundTrip() {
        LatencyModel m = new LatencyModel(4.0, 40.0, 1000, 0);
        assertThat(m.deviceGflops(8)).isEqualTo(0.5);
        // 2 MFLOP at 4 GFLOP/s = 500 µs; 8 times slower = 4000 µs
        assertThat(m.edgeMicros(2_000_000, 1)).isEqualTo(500);
        assertThat(m.edgeMicros(2_000_000, 8)).isEqualTo(4000);
        assertThat(m.edgeMicros(0, 3)).as("unknown FLOPs: base latency x slowdown").isEqualTo(3000);
        assertThat(m.cloudMicros(2_000_000, 20_000)).isEqualTo(20_050);
        assertThat(m.withNoise(1234, new SplittableRandom(1))).as("no noise").isEqualTo(1234);
        LatencyModel noisy = new LatencyModel(4.0, 40.0, 1000, 0.5);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(noisy.withNoise(1000, r)).as("noise only slows down").isGreaterThanOrEqualTo(1000);
        }
        assertThatThrownBy(() -> new LatencyModel(0, 1, 1, 0)).hasMessageStartingWith("latency model:");
    }

    @Test
    void poissonDrawsAverageTheRate() {
        Traffic t = new Traffic(SimulatorConfig.parse(List.of("--controller", "http://c"), 1), null);
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += t.poisson(0.2);
        }
        assertThat(sum / 20_000.0).isBetween(0.18, 0.22);
        assertThat(t.poisson(0)).isZero();
        long big = 0;
        for (int i = 0; i < 2000; i++) {
            big += t.poisson(100);
        }
        assertThat(big / 2000.0).isBetween(98.0, 102.0);
    }

    @Test
    void aZeroRequestHasTheDeclaredShapesWithDynamicDimensionsAsOne() throws Exception {
        byte[] body = Traffic.zeroRequest(List.of(new TensorInfo("input", DataType.FLOAT, new int[] {-1, 1, 2, 2}),
                new TensorInfo("mask", DataType.BOOL, new int[] {2})));
        JsonNode in = new ObjectMapper().readTree(body).get("inputs");
        assertThat(in.get(0).get("shape").toString()).isEqualTo("[1,1,2,2]");
        assertThat(in.get(0).get("datatype").asText()).isEqualTo("FP32");
        assertThat(in.get(0).get("data")).hasSize(4);
        assertThat(in.get(1).get("data").toString()).isEqualTo("[false,false]");
    }

    @Test
    void rangesSpreadEvenlyOverTheDevices() {
        Range r = Range.parse("--x", "1..20");
        assertThat(r.spread(0, 20)).isEqualTo(1.0);
        assertThat(r.spread(19, 20)).isEqualTo(20.0);
        assertThat(Range.parse("--x", "5").spread(3, 10)).isEqualTo(5.0);
        assertThat(r.toString()).isEqualTo("1..20");
        assertThatThrownBy(() -> Range.parse("--rtt-millis", "a..b"))
                .hasMessage("--rtt-millis: expected a number or a range such as 1..20, got 'a..b'");
    }
}
