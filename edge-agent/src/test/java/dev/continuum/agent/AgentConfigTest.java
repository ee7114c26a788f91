package dev.continuum.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @Test
    void commandLineOptionsOverrideEnvironmentWhichOverridesTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, """
                controller=http://file:1
                name=from-file
                http-port=9000
                labels=region=eu,tier=gold
                """);
        AgentConfig c = AgentConfig.load(List.of("--config", file.toString(), "--name=from-cli", "--grpc-port", "-1"),
                Map.of("CONTINUUM_AGENT_CONTROLLER", "https://ctl.example:8443", "CONTINUUM_AGENT_NAME", "from-env",
                        "CONTINUUM_AGENT_BOOTSTRAP_TOKEN", "ctb_x"));
        assertThat(c.controller().toString()).isEqualTo("https://ctl.example:8443");
        assertThat(c.controllerTarget()).isEqualTo("ctl.example:8443");
        assertThat(c.controllerTls()).isTrue();
        assertThat(c.name()).isEqualTo("from-cli");
        assertThat(c.bootstrapToken()).isEqualTo("ctb_x");
        assertThat(c.httpPort()).isEqualTo(9000);
        assertThat(c.grpcPort()).isEqualTo(-1);
        assertThat(c.labels()).isEqualTo(Map.of("region", "eu", "tier", "gold"));
        assertThat(c.toString()).doesNotContain("ctb_x");
    }

    @Test
    void defaultsAreLocalhostPortsAndADataDirectory() {
        AgentConfig c = AgentConfig.fromMap(Map.of("controller", "http://ctl"));
        assertThat(c.controllerTarget()).isEqualTo("ctl:80");
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(8000);
        assertThat(c.grpcPort()).isEqualTo(8001);
        assertThat(c.dataDir()).isEqualTo(Path.of("./agent-data"));
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.reconnectMin()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.chunkSizeBytes()).isEqualTo(256 * 1024);
        assertThat(c.telemetryBroker()).as("the controller's").isNull();
        assertThat(c.telemetryInterval()).as("the controller's").isNull();
        assertThat(c.outboxMaxBytes()).isEqualTo(16 << 20);
        assertThat(c.outboxMaxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void telemetrySettingsReadFromFlagsAndEnvironment() {
        AgentConfig c = AgentConfig.load(List.of("--telemetry-broker", "ssl://mqtt.example:8883", "--telemetry-interval=500ms",
                "--outbox-max-bytes", "2M"), Map.of("CONTINUUM_AGENT_CONTROLLER", "http://ctl",
                "CONTINUUM_AGENT_OUTBOX_MAX_AGE", "36h"));
        assertThat(c.telemetryBroker().toString()).isEqualTo("ssl://mqtt.example:8883");
        assertThat(c.telemetryInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.outboxMaxBytes()).isEqualTo(2 << 20);
        assertThat(c.outboxMaxAge()).isEqualTo(Duration.ofHours(36));
        assertThat(AgentConfig.fromMap(Map.of("controller", "http://x", "telemetry-interval", "5")).telemetryInterval())
                .as("plain numbers are seconds").isEqualTo(Duration.ofSeconds(5));
        assertThat(AgentConfig.fromMap(Map.of("controller", "http://x", "outbox-max-age", "10m")).outboxMaxAge())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void badTelemetrySettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "telemetry-broker", "http://mqtt:1883")))
                .hasMessage("telemetry-broker: expected tcp://host:port or ssl://host:port, got 'http://mqtt:1883'");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "telemetry-broker", "tcp://mqtt")))
                .hasMessageStartingWith("telemetry-broker: expected tcp://host:port");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "telemetry-broker", "tcp://a b:1")))
                .hasMessageStartingWith("telemetry-broker: 'tcp://a b:1' is not a URI");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "telemetry-interval", "10ms")))
                .hasMessage("telemetry-interval: expected 0.1 s to 1 h, got PT0.01S");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "telemetry-interval", "often")))
                .hasMessage("telemetry-interval: expected a duration such as 500ms, 5s, 10m, 24h or 7d, got 'often'");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "outbox-max-bytes", "100")))
                .hasMessage("outbox-max-bytes: expected at least 1K, got 100");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "outbox-max-bytes", "lots")))
                .hasMessageStartingWith("outbox-max-bytes: expected bytes such as");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "outbox-max-age", "-1d")))
                .hasMessageStartingWith("outbox-max-age: expected a positive number of seconds");
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of())).hasMessageStartingWith("controller: required");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "ftp://x")))
                .hasMessageStartingWith("controller: expected an http:// or https:// URL");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "http-port", "eighty")))
                .hasMessage("http-port: expected an integer, got 'eighty'");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "http-port", "70000")))
                .hasMessageStartingWith("http-port: expected 0 to 65535");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "labels", "region")))
                .hasMessageStartingWith("labels: expected key=value pairs");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "labels", "a=b,a=c")))
                .hasMessage("labels: key 'a' is given twice");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "chunk-size", "2M")))
                .hasMessageStartingWith("chunk-size: expected 1K to 1M bytes");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "reconnect-min", "5",
                "reconnect-max", "1"))).hasMessageStartingWith("reconnect-max (PT1S) is below reconnect-min");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "colour", "red")))
                .hasMessageStartingWith("unknown setting 'colour'");
        assertThatThrownBy(() -> AgentConfig.load(List.of("--http-port"), Map.of()))
                .hasMessage("option --http-port needs a value");
        assertThatThrownBy(() -> AgentConfig.load(List.of("--colour", "red"), Map.of()))
                .hasMessageStartingWith("unknown option --colour");
        assertThatThrownBy(() -> AgentConfig.load(List.of("positional"), Map.of()))
                .hasMessageStartingWith("unexpected argument 'positional'");
    }

    @Test
    void slowdownAndOffloadSettingsReadFromFlagsWithDefaults() {
        AgentConfig d = AgentConfig.fromMap(Map.of("controller", "http://x"));
        assertThat(d.emulateSlowdown()).isEqualTo(1.0);
        assertThat(d.offloadConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.offloadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.offloadFallback()).isTrue();
        AgentConfig c = AgentConfig.load(List.of("--emulate-slowdown", "8", "--offload-timeout=1500ms",
                "--offload-connect-timeout", "1s", "--offload-fallback", "none"), Map.of("CONTINUUM_AGENT_CONTROLLER", "http://x"));
        assertThat(c.emulateSlowdown()).isEqualTo(8.0);
        assertThat(c.offloadTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.offloadConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.offloadFallback()).isFalse();
        assertThat(c.toString()).contains("emulateSlowdown=8.0");
        assertThat(AgentConfig.fromMap(Map.of("controller", "http://x", "emulate-slowdown", "2.5x")).emulateSlowdown())
                .isEqualTo(2.5);
        assertThat(c.withEmulateSlowdown(3).emulateSlowdown()).isEqualTo(3.0);
    }

    @Test
    void badSlowdownAndOffloadSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "emulate-slowdown", "0.5")))
                .hasMessage("emulate-slowdown: expected a factor of at least 1 (1 = off), got 0.5");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "emulate-slowdown", "NaN")))
                .hasMessageStartingWith("emulate-slowdown: expected a factor of at least 1");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "emulate-slowdown", "Infinity")))
                .hasMessageStartingWith("emulate-slowdown: expected a factor of at least 1");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "emulate-slowdown", "fast")))
                .hasMessage("emulate-slowdown: expected a factor of at least 1 such as 8 or 2.5, got 'fast'");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "offload-timeout", "0s")))
                .hasMessageStartingWith("offload-timeout: expected a positive number of seconds");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "offload-connect-timeout", "soon")))
                .hasMessageStartingWith("offload-connect-timeout: expected a duration");
        assertThatThrownBy(() -> AgentConfig.fromMap(Map.of("controller", "http://x", "offload-fallback", "maybe")))
                .hasMessageStartingWith("offload-fallback: expected 'local'").hasMessageEndingWith("got 'maybe'");
    }
}
