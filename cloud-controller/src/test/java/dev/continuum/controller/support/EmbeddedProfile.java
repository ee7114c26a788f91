package dev.continuum.controller.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The embedded datastore (H2 file database) in a fresh temp data directory. */
public class EmbeddedProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "continuum.datastore", "embedded",
                "continuum.data-dir", TestDirs.dataDir("embedded").toString(),
                "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                "continuum.registry.max-artifact-size", "16M");
    }
}
