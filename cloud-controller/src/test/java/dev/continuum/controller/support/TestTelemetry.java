package dev.continuum.controller.support;

import dev.continuum.controller.placement.service.TelemetryReader;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Telemetry a test sets per model version; nothing until set. */
@Alternative
@Priority(10)
@ApplicationScoped
public class TestTelemetry implements TelemetryReader {
    private final Map<String, Health> health = new ConcurrentHashMap<>();

    public void reset() {
        health.clear();
    }

    public void health(String model, String version, long requests, long errors, Long p95Micros) {
        health.put(model + "/" + version, new Health(requests, errors, p95Micros));
    }

    @Override
    public Health health(String model, String version, Set<String> deviceIds, Instant since) {
        return health.getOrDefault(model + "/" + version, Health.NONE);
    }

    @Override
    public Vitals vitals(String deviceId) {
        return Vitals.UNKNOWN;
    }

    @Override
    public OptionalLong edgeP95Micros(String deviceId, String model, String version) {
        return OptionalLong.empty();
    }

    @Override
    public boolean online(String deviceId) {
        return false;
    }
}
