package dev.continuum.controller.rollout;

import java.time.Instant;
import java.util.Set;

/** Port: aggregate telemetry, implemented over the ingested telemetry batches. */
public interface HealthView {
    /**
     * Requests, errors and merged p95 of {@code model} at {@code version} on the given devices (any placement),
     * from telemetry windows that end after {@code since}.
     */
    HealthStats health(String model, String version, Set<String> deviceIds, Instant since);
}
