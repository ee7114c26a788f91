package dev.continuum.controller.rollout.service;

import dev.continuum.controller.placement.service.TelemetryReader;
import dev.continuum.controller.rollout.HealthStats;
import dev.continuum.controller.rollout.HealthView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Set;

/** {@link HealthView} over the telemetry aggregates of the devices' MQTT batches. */
@ApplicationScoped
public class TelemetryHealthView implements HealthView {
    @Inject
    TelemetryReader telemetry;

    @Override
    public HealthStats health(String model, String version, Set<String> deviceIds, Instant since) {
        TelemetryReader.Health h = telemetry.health(model, version, deviceIds, since);
        long requests = Math.max(0, h.requests());
        long errors = Math.min(requests, Math.max(0, h.errors()));
        return new HealthStats(requests, errors, h.p95Micros());
    }
}
