package dev.continuum.agent.telemetry;

import static dev.continuum.agent.telemetry.AgentTelemetryFixture.BAD_SHAPE;
import static dev.continuum.agent.telemetry.AgentTelemetryFixture.GOOD;
import static dev.continuum.agent.telemetry.AgentTelemetryFixture.awaitServing;
import static dev.continuum.agent.telemetry.AgentTelemetryFixture.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.continuum.agent.Agent;
import dev.continuum.agent.FakeController;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import dev.continuum.proto.v1.TelemetryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry from a real agent to the shared Mosquitto at 127.0.0.1:1883: every request served over
 * REST counted exactly once, errors too, batches in sequence, heartbeat round trips in the vitals.
 */
class TelemetryOverMqttTest {
    static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;
    private final String deviceId = "dev-tel-" + UUID.randomUUID().toString().substring(0, 8);
    private FakeController controller;

    @BeforeEach
    void startController() throws Exception {
        controller = new FakeController().deviceId(deviceId)
                .telemetry(TelemetryEndpoint.newBuilder().setBrokerUri(BROKER).setIntervalMillis(200).build()).start(0);
    }

    @AfterEach
    void stopController() throws Exception {
        controller.stop();
    }

    @Test
    void requestsServedOverRestArriveCountedExactlyOnceInBatchesOfIncreasingSequence() throws Exception {
        try (TelemetrySubscriber sub = TelemetrySubscriber.connect(BROKER, deviceId, false)) {
            // broker and interval come from the enrolment answer; heartbeats every 0.2 s give round trips
            Agent agent = AgentTelemetryFixture.start(controller, dir, Map.of("heartbeat-interval", "0.2"));
            try {
                awaitServing(agent);
                int n = 25;
                for (int i = 0; i < n - 1; i++) {
                    assertThat(infer(agent, GOOD)).isEqualTo(200);
                }
                assertThat(infer(agent, BAD_SHAPE)).isEqualTo(400);
                assertThat(AgentTelemetryFixture.infer(agent, "resnet", GOOD)).as("a model not served is not counted")
                        .isEqualTo(404);
                long total = n;

                await().atMost(Duration.ofSeconds(30)).until(() -> sub.requests() >= total);
                int seen = sub.distinct().size();
                await().atMost(Duration.ofSeconds(30)).until(() -> sub.distinct().size() >= seen + 3);
                assertThat(sub.requests()).isEqualTo(total);
                assertThat(sub.errors()).isEqualTo(1);

                List<TelemetryBatch> batches = sub.distinct();
                List<Long> seqs = sub.sequences();
                assertThat(seqs).isSorted().doesNotHaveDuplicates();
                assertThat(seqs.get(seqs.size() - 1) - seqs.get(0)).as("no gaps").isEqualTo(seqs.size() - 1);
                for (TelemetryBatch b : batches) {
                    assertThat(b.getDeviceId()).isEqualTo(deviceId);
                    assertThat(b.getWindowEndMillis()).isGreaterThanOrEqualTo(b.getWindowStartMillis());
                    for (ModelTelemetry m : b.getModelsList()) {
                        assertThat(m.getModel()).isEqualTo("lenet");
                        assertThat(m.getVersion()).isEqualTo("1");
                        assertThat(m.getPlacement()).isEqualTo(Placement.EDGE);
                        long inHistogram = m.getLatency().getCountsList().stream().mapToLong(Long::longValue).sum();
                        assertThat(inHistogram).isEqualTo(m.getRequests());
                        assertThat(m.getLatency().getSumMicros()).isPositive();
                    }
                }
                for (int i = 1; i < batches.size(); i++) {
                    assertThat(batches.get(i).getWindowStartMillis()).as("windows follow each other")
                            .isEqualTo(batches.get(i - 1).getWindowEndMillis());
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sub.distinct().stream()
                        .anyMatch(b -> b.getVitals().getRttP50Micros() > 0 && b.getVitals().getRttP95Micros() > 0));
                TelemetryBatch last = sub.distinct().get(sub.distinct().size() - 1);
                assertThat(last.getVitals().getMemoryTotalBytes()).isPositive();
                assertThat(last.getVitals().getMemoryUsedBytes()).isPositive();
                assertThat(last.getOutbox().getDroppedBatchesTotal()).isZero();

                await().atMost(Duration.ofSeconds(10)).until(() -> sub.lastStatus() != null
                        && sub.lastStatus().getState() == DeviceStatus.State.ONLINE);
                assertThat(agent.health()).anySatisfy(h -> {
                    assertThat(h.component()).isEqualTo("telemetry");
                    assertThat(h.healthy()).isTrue();
                    assertThat(h.detail()).contains("connected to " + BROKER).contains("outbox backlog");
                });
                assertThat(Files.readString(dir.resolve("identity.properties")))
                        .as("the endpoint from enrolment is kept with the identity").contains("telemetry-broker=tcp\\://127.0.0.1\\:1883");
            } finally {
                agent.stop();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.lastStatus().getState() == DeviceStatus.State.OFFLINE);
            assertThat(sub.lastStatus().getSinceMillis()).as("a clean stop, not the last will").isPositive();
        }
    }

    @Test
    void anIdleAgentStillPublishesSmallBatchesWithItsVitals() throws Exception {
        try (TelemetrySubscriber sub = TelemetrySubscriber.connect(BROKER, deviceId, false)) {
            Agent agent = AgentTelemetryFixture.start(controller, dir, Map.of());
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> sub.distinct().size() >= 3);
                for (TelemetryBatch b : sub.distinct()) {
                    assertThat(b.getModelsList()).isEmpty();
                    assertThat(b.getVitals().getMemoryTotalBytes()).isPositive();
                    assertThat(b.getSerializedSize()).isLessThan(120);
                }
                assertThat(LongStream.of(sub.sequences().stream().mapToLong(Long::longValue).toArray()).min().orElse(0))
                        .isEqualTo(1);
            } finally {
                agent.stop();
            }
        }
    }
}
