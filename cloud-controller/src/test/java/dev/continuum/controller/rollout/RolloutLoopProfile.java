package dev.continuum.controller.rollout;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The embedded datastore with a fast reconciler: steps every 100 ms, placement re-evaluated on every tick and
 * changed on the first evaluation that wins, and an assumed RTT of 10 ms (so the cloud can meet a budget).
 */
public class RolloutLoopProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "continuum.datastore", "embedded",
                "continuum.data-dir", TestDirs.dataDir("rollout-loop").toString(),
                "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                "continuum.registry.max-artifact-size", "16M",
                "continuum.rollout.reconcile-interval", "100ms",
                "continuum.placement.evaluate-interval", "100ms",
                "continuum.placement.sustain-evaluations", "1",
                "continuum.placement.sustain-duration", "0s",
                "continuum.placement.assumed-rtt", "10ms");
    }
}
