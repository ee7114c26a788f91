package dev.continuum.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.proto.v1.TelemetryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
    @Test
    void theTelemetryEndpointIsKeptWithTheIdentity(@TempDir Path dir) throws Exception {
        TelemetryEndpoint e = TelemetryEndpoint.newBuilder().setBrokerUri("ssl://mqtt:8883").setIntervalMillis(2500).build();
        new Identity("dev-1", "ctd_secret", e).save(dir);
        Identity loaded = Identity.load(dir).orElseThrow();
        assertThat(loaded).isEqualTo(new Identity("dev-1", "ctd_secret", e));
        assertThat(loaded.toString()).doesNotContain("ctd_secret");
    }

    @Test
    void anIdentityWrittenBeforeTelemetryLoadsWithoutAnEndpoint(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(Identity.FILE), "device-id=dev-1\ncredential=ctd_x\n");
        assertThat(Identity.load(dir).orElseThrow().telemetry()).isEqualTo(TelemetryEndpoint.getDefaultInstance());
    }

    @Test
    void aDamagedIntervalNamesTheKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(Identity.FILE), "device-id=dev-1\ncredential=ctd_x\ntelemetry-interval-millis=soon\n");
        assertThatThrownBy(() -> Identity.load(dir)).hasMessageContaining("telemetry-interval-millis is not a number");
    }
}
