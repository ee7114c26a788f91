package dev.continuum.agent.telemetry;

import static dev.continuum.agent.telemetry.AgentTelemetryFixture.GOOD;
import static dev.continuum.agent.telemetry.AgentTelemetryFixture.awaitServing;
import static dev.continuum.agent.telemetry.AgentTelemetryFixture.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.continuum.agent.Agent;
import dev.continuum.agent.FakeController;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.TelemetryBatch;
import dev.continuum.proto.v1.TelemetryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-and-forward against a Mosquitto of the test's own that it stops and starts: broker outages,
 * agent restarts with batches queued, the outbox bound, the last will.
 */
class TelemetryDeliveryTest {
    @TempDir
    Path dir;
    private final String deviceId = "dev-out-" + UUID.randomUUID().toString().substring(0, 8);
    private FakeController controller;
    private Mosquitto broker;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Mosquitto.BINARY), "needs " + Mosquitto.BINARY);
        controller = new FakeController().deviceId(deviceId).start(0);
        broker = Mosquitto.onFreePort(dir.resolve("broker"));
    }

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    private Agent agent(Path data, Map<String, String> extra) throws Exception {
        Map<String, String> m = new java.util.HashMap<>(Map.of("telemetry-broker", broker.uri()));
        m.putAll(extra);
        Agent a = AgentTelemetryFixture.start(controller, data, m);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.telemetry().outboxStats() != null); // opened in the background
        return a;
    }

    /** Sequences 1..n, each once, first seen in order. */
    private static void assertContiguousFromOne(TelemetrySubscriber sub) {
        List<Long> seqs = sub.sequences();
        assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    }

    @Test
    void batchesQueuedWhileTheBrokerIsDownArriveInOrderWhenItIsBack() throws Exception {
        broker.start();
        List<String> logs = capture(MqttSender.class);
        try (TelemetrySubscriber sub = TelemetrySubscriber.connect(broker.uri(), deviceId, true)) {
            Agent agent = agent(dir.resolve("agent"), Map.of());
            try {
                awaitServing(agent);
                long sent = 0;
                for (int i = 0; i < 10; i++, sent++) {
                    assertThat(infer(agent, GOOD)).isEqualTo(200);
                }
                long before = sent;
                await().atMost(Duration.ofSeconds(30)).until(() -> sub.requests() == before);

                broker.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> !agent.telemetry().brokerConnected());
                long queuedBefore = agent.telemetry().outboxStats().backlog();
                // serve traffic for several intervals while the broker is gone
                while (agent.telemetry().outboxStats().backlog() < queuedBefore + 8) {
                    assertThat(infer(agent, GOOD)).isEqualTo(200);
                    sent++;
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> logs.stream()
                        .anyMatch(l -> l.matches("telemetry broker unreachable \\(.*\\), reconnecting in \\d+\\.\\d s")));
                assertThat(agent.health()).anySatisfy(h -> {
                    assertThat(h.component()).isEqualTo("telemetry");
                    assertThat(h.healthy()).isFalse();
                    assertThat(h.detail()).contains("unreachable").contains("outbox backlog");
                });

                broker.start();
                long total = sent;
                await().atMost(Duration.ofSeconds(60)).until(() -> sub.requests() == total);
                int seen = sub.distinct().size();
                await().atMost(Duration.ofSeconds(30)).until(() -> sub.distinct().size() >= seen + 2);
                assertThat(sub.requests()).isEqualTo(total);
                assertContiguousFromOne(sub);
                assertThat(sub.distinct()).anySatisfy(b -> assertThat(b.getOutbox().getBacklogBatches())
                        .as("a batch built during the outage reports the backlog").isPositive());
            } finally {
                agent.stop();
            }
        } finally {
            removeCapture(MqttSender.class);
        }
    }

    @Test
    void batchesStoredBeforeARestartAreDeliveredAfterItAndTheSequenceContinues() throws Exception {
        broker.start();
        TelemetrySubscriber.connect(broker.uri(), deviceId, true).close(); // a persistent session at the broker
        broker.stop();
        Path data = dir.resolve("agent");
        Agent first = agent(data, Map.of());
        long sent = 0;
        long lastStored;
        try {
            awaitServing(first);
            while (first.telemetry().outboxStats().backlog() < 5) {
                assertThat(infer(first, GOOD)).isEqualTo(200);
                sent++;
            }
        } finally {
            first.stop();
        }
        lastStored = storedBatches(data);
        assertThat(lastStored).isGreaterThanOrEqualTo(5);

        broker.start();
        try (TelemetrySubscriber sub = TelemetrySubscriber.connect(broker.uri(), deviceId, true)) {
            Agent second = agent(data, Map.of());
            try {
                long total = sent;
                await().atMost(Duration.ofSeconds(60)).until(() -> sub.distinct().size() >= lastStored + 3);
                assertThat(sub.requests()).isEqualTo(total);
                assertContiguousFromOne(sub);
                TelemetryBatch firstAfterRestart = sub.distinct().get((int) lastStored);
                assertThat(firstAfterRestart.getSequence()).isEqualTo(lastStored + 1);
                assertThat(firstAfterRestart.getModelsList()).isEmpty();
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void aTinyOutboxDropsTheOldestBatchesAndReportsHowMany() throws Exception {
        Agent agent = agent(dir.resolve("agent"), Map.of("outbox-max-bytes", "1K", "telemetry-interval", "0.1"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.telemetry().outboxStats().droppedTotal() >= 5);
            Outbox.Stats stats = agent.telemetry().outboxStats();
            assertThat(stats.backlogBytes()).isLessThanOrEqualTo(1024);
            assertThat(agent.health()).anySatisfy(h -> assertThat(h.detail()).containsPattern("[1-9][0-9]* dropped"));

            broker.start();
            try (TelemetrySubscriber sub = TelemetrySubscriber.connect(broker.uri(), deviceId, false)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> sub.distinct().stream()
                        .anyMatch(b -> b.getOutbox().getDroppedBatchesTotal() >= stats.droppedTotal()));
                assertThat(sub.sequences().get(0)).as("the oldest were dropped").isGreaterThan(1);
            }
        } finally {
            agent.stop();
        }
    }

    @Test
    void aConnectionCutUncleanlyLeavesTheLastWillOfflineRetainedAndACleanStopPublishesOffline() throws Exception {
        broker.start();
        try (TcpProxy network = new TcpProxy(broker.port);
             TelemetrySubscriber sub = TelemetrySubscriber.connect(broker.uri(), deviceId, false)) {
            // no broker from the config or enrolment: a desired state names it
            controller.setDesired(controller.desired().toBuilder().setTelemetry(TelemetryEndpoint.newBuilder()
                    .setBrokerUri(network.uri()).setIntervalMillis(200)).build());
            Path data = dir.resolve("agent");
            Agent agent = AgentTelemetryFixture.start(controller, data, Map.of());
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> state(sub) == DeviceStatus.State.ONLINE);
                assertThat(Files.readString(data.resolve("identity.properties"))).contains("telemetry-interval-millis=200");

                network.cut();
                await().atMost(Duration.ofSeconds(30)).until(() -> state(sub) == DeviceStatus.State.OFFLINE);
                assertThat(sub.lastStatus().getSinceMillis()).as("the last will").isZero();
                try (TelemetrySubscriber late = TelemetrySubscriber.connect(broker.uri(), deviceId, false)) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> state(late) == DeviceStatus.State.OFFLINE);
                    assertThat(late.lastStatus().getSinceMillis()).as("retained last will").isZero();
                }

                network.resume();
                await().atMost(Duration.ofSeconds(30)).until(() -> state(sub) == DeviceStatus.State.ONLINE);
            } finally {
                agent.stop();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> state(sub) == DeviceStatus.State.OFFLINE);
            assertThat(sub.lastStatus().getSinceMillis()).as("published by the agent").isPositive();
            try (TelemetrySubscriber late = TelemetrySubscriber.connect(broker.uri(), deviceId, false)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> state(late) == DeviceStatus.State.OFFLINE);
                assertThat(late.lastStatus().getSinceMillis()).as("retained").isPositive();
            }
        }
    }

    private static DeviceStatus.State state(TelemetrySubscriber sub) {
        DeviceStatus s = sub.lastStatus();
        return s == null ? null : s.getState();
    }

    /** Batches the outbox in {@code data} holds (opened after the agent stopped). */
    private static long storedBatches(Path data) throws Exception {
        try (FileOutbox o = FileOutbox.open(data.resolve(Telemetry.OUTBOX_DIR), 16 << 20, Duration.ofDays(7))) {
            return o.stats().backlog();
        }
    }

    private static final Map<Class<?>, Handler> HANDLERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<String> capture(Class<?> c) {
        List<String> out = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                out.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger(c.getName()).addHandler(h);
        HANDLERS.put(c, h);
        return out;
    }

    private static void removeCapture(Class<?> c) {
        Handler h = HANDLERS.remove(c);
        if (h != null) {
            Logger.getLogger(c.getName()).removeHandler(h);
        }
    }
}
