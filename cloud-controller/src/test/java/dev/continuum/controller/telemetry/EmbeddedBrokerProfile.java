package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The embedded datastore and the embedded MQTT broker (Moquette) on a free port. */
public class EmbeddedBrokerProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "continuum.datastore", "embedded",
                "continuum.data-dir", TestDirs.dataDir("embedded-broker").toString(),
                "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                "continuum.mqtt.mode", "embedded",
                "continuum.mqtt.port", "0",
                "continuum.telemetry.write-linger", "20ms");
    }
}
