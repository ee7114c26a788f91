package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.EmbeddedProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The embedded datastore (H2), telemetry through the Mosquitto at 127.0.0.1:1883. */
public class TelemetryEmbeddedProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return ExternalBroker.with(new EmbeddedProfile().getConfigOverrides(), "h2");
    }
}
