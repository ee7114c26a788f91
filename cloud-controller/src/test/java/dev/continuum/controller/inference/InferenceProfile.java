package dev.continuum.controller.inference;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The embedded datastore with tiny inference limits (one run, one waiting), so overload is
 * deterministic; API tokens need role deployer, so the role check can be seen refusing a viewer.
 */
public class InferenceProfile implements QuarkusTestProfile {
    static final int RETRY_AFTER_SECONDS = 3;
    static final int MAX_REQUEST_BYTES = 1 << 20;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("continuum.datastore", "embedded"),
                Map.entry("continuum.data-dir", TestDirs.dataDir("inference").toString()),
                Map.entry("continuum.auth.admin-token", Api.ADMIN_TOKEN),
                Map.entry("continuum.registry.max-artifact-size", "16M"),
                Map.entry("continuum.inference.max-concurrent", "1"),
                Map.entry("continuum.inference.max-queue", "1"),
                Map.entry("continuum.inference.retry-after", RETRY_AFTER_SECONDS + "s"),
                Map.entry("continuum.inference.max-request-size", String.valueOf(MAX_REQUEST_BYTES)),
                Map.entry("continuum.inference.resolve-cache-ttl", "0s"),
                Map.entry("continuum.inference.cache.max-models", "2"),
                Map.entry("continuum.inference.auth.api-token-role", "deployer"));
    }
}
