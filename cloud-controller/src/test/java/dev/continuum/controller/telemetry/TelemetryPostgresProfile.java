package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** PostgreSQL, telemetry through the Mosquitto at 127.0.0.1:1883. */
public class TelemetryPostgresProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return ExternalBroker.with(new PostgresProfile().getConfigOverrides(), "pg");
    }
}
