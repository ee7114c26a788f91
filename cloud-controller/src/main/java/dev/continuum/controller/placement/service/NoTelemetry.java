package dev.continuum.controller.placement.service;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;

/** No telemetry: every reading unknown. */
@DefaultBean
@ApplicationScoped
public class NoTelemetry implements TelemetryReader {
    @Override
    public Health health(String model, String version, Set<String> deviceIds, Instant since) {
        return Health.NONE;
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
