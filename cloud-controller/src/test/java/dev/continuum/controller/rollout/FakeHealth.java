package dev.continuum.controller.rollout;

import java.time.Instant;
import java.util.Set;

/** Health telemetry a test sets; remembers what it was last asked. */
final class FakeHealth implements HealthView {
    HealthStats stats = HealthStats.NONE;
    Set<String> lastDevices;
    Instant lastSince;
    String lastVersion;

    @Override
    public HealthStats health(String model, String version, Set<String> deviceIds, Instant since) {
        lastDevices = deviceIds;
        lastSince = since;
        lastVersion = version;
        return stats;
    }

    void healthy(long requests) {
        stats = new HealthStats(requests, 0, 20_000L);
    }
}
