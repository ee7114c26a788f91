package dev.continuum.controller.agentlink;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The embedded datastore in a data directory of its own, for the agent-link end-to-end tests. */
public class AgentLinkProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "continuum.datastore", "embedded",
                "continuum.data-dir", TestDirs.dataDir("agentlink").toString(),
                "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                "continuum.registry.max-artifact-size", "16M");
    }
}
