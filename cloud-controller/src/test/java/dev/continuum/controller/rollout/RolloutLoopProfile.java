package dev.continuum.controller.rollout;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The embedded datastore and MQTT broker (on a free port) with a fast reconciler: steps every 100 ms,
 * placement re-evaluated on every tick and changed on the first evaluation that wins, and an assumed RTT of
 * 10 ms for devices that have not measured one.
 */
public class RolloutLoopProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("continuum.datastore", "embedded"),
                Map.entry("continuum.data-dir", TestDirs.dataDir("rollout-loop").toString()),
                Map.entry("continuum.auth.admin-token", Api.ADMIN_TOKEN),
                Map.entry("continuum.registry.max-artifact-size", "16M"),
                Map.entry("continuum.rollout.reconcile-interval", "100ms"),
                Map.entry("continuum.placement.evaluate-interval", "100ms"),
                Map.entry("continuum.placement.sustain-evaluations", "1"),
                Map.entry("continuum.placement.sustain-duration", "0s"),
                Map.entry("continuum.placement.assumed-rtt", "10ms"),
                Map.entry("continuum.mqtt.mode", "embedded"),
                Map.entry("continuum.mqtt.port", "0"),
                Map.entry("continuum.telemetry.write-linger", "20ms"));
    }
}
