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
}
