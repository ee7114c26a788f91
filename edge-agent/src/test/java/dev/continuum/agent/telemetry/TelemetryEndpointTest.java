package dev.continuum.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.continuum.agent.AgentConfig;
import dev.continuum.agent.link.Identity;
import dev.continuum.proto.v1.TelemetryEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which broker and interval telemetry uses: the agent's config, else the controller's latest word, else defaults. */
class TelemetryEndpointTest {
    @TempDir
    Path dir;
    private final AtomicReference<Identity> identity = new AtomicReference<>();

    private Telemetry telemetry(Map<String, String> settings) {
        Map<String, String> m = new HashMap<>(Map.of("controller", "http://ctl", "data-dir", dir.toString()));
        m.putAll(settings);
        return new Telemetry(AgentConfig.fromMap(m), "test", identity::get, new RequestRecorder(), new Vitals());
    }

    private static Identity named(String broker, long intervalMillis) {
        return new Identity("dev-1", "ctd_x", TelemetryEndpoint.newBuilder().setBrokerUri(broker)
                .setIntervalMillis(intervalMillis).build());
    }

    @Test
    void withoutConfigTheControllersLatestEndpointIsUsedAndFiveSecondsByDefault() {
        Telemetry t = telemetry(Map.of());
        assertThat(t.broker()).as("not enrolled").isNull();
        assertThat(t.interval()).isEqualTo(Duration.ofSeconds(5));
        identity.set(named("", 0));
        assertThat(t.broker()).as("the controller has no broker").isNull();
        identity.set(named("ssl://mqtt.example:8883", 2000));
        assertThat(t.broker()).isEqualTo(URI.create("ssl://mqtt.example:8883"));
        assertThat(t.interval()).isEqualTo(Duration.ofSeconds(2));
        identity.set(named("tcp://moved:1883", 10));
        assertThat(t.broker()).isEqualTo(URI.create("tcp://moved:1883"));
        assertThat(t.interval()).as("clamped to 100 ms").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theAgentsOwnSettingsWinOverTheController() {
        Telemetry t = telemetry(Map.of("telemetry-broker", "tcp://local:1883", "telemetry-interval", "750ms"));
        identity.set(named("tcp://controller:1883", 2000));
        assertThat(t.broker()).isEqualTo(URI.create("tcp://local:1883"));
        assertThat(t.interval()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void aBrokerTheControllerNamesBadlyIsIgnored() {
        Telemetry t = telemetry(Map.of());
        identity.set(named("http://not-mqtt:80", 0));
        assertThat(t.broker()).isNull();
        identity.set(named("tcp://no port", 0));
        assertThat(t.broker()).isNull();
    }

    @Test
    void anUnusableOutboxDirectoryLeavesTelemetryUnhealthyInsteadOfFailingTheAgent() throws Exception {
        java.nio.file.Files.writeString(dir.resolve(Telemetry.OUTBOX_DIR), "a file where the directory should be");
        Telemetry t = telemetry(Map.of());
        t.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> t.health().detail().startsWith("telemetry outbox unusable"));
            assertThat(t.health().healthy()).isFalse();
            assertThat(t.outboxStats()).isNull();
        } finally {
            t.stop();
        }
    }
}
