package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The embedded datastore and a Mosquitto process of the test's own, configured from generated files. */
public class MosquittoProcessProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "continuum.datastore", "embedded",
                "continuum.data-dir", TestDirs.dataDir("mosquitto").toString(),
                "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                "continuum.telemetry.write-linger", "20ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MosquittoProcess.class));
    }
}
