package dev.continuum.controller.placement.service;

import dev.continuum.controller.common.Times;
import dev.continuum.controller.telemetry.Aggregate;
import dev.continuum.controller.telemetry.DeviceVitalsView;
import dev.continuum.controller.telemetry.TelemetryQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What rollouts and placement read from the telemetry devices publish: a model version's health on some
 * devices, a device's link (RTT, uplink) and a version's latency measured on the device. Joins the caller's
 * transaction.
 */
@ApplicationScoped
public class TelemetryReader {
    @Inject
    TelemetryQueries queries;

    @Inject
    PlacementSettings settings;

    /** Requests, errors and merged p95 of a model version on some devices since a time; p95 null without samples. */
    public record Health(long requests, long errors, Long p95Micros) {
    }

    /** A device's newest link measurements; null where not measured. */
    public record Vitals(Long rttP95Micros, Long uplinkBytesPerSecond) {
        public static final Vitals UNKNOWN = new Vitals(null, null);
    }

    public Health health(String model, String version, Set<String> deviceIds, Instant since) {
        Instant now = Times.now();
        Aggregate a = queries.aggregate(model, version, deviceIds, since.isAfter(now) ? now : since, now);
        return new Health(a.requests(), a.errors(), a.latencySamples() > 0 ? Math.round(a.p95Micros()) : null);
    }

    public Vitals vitals(String deviceId) {
        return queries.latestVitals(deviceId).map(TelemetryReader::vitals).orElse(Vitals.UNKNOWN);
    }

    /**
     * p95 of the version on the device over {@code continuum.placement.edge-window}, when every request in that
     * window ran on the device itself (none offloaded: a p95 that includes trips to the cloud is not the
     * edge's); empty otherwise.
     */
    public OptionalLong edgeP95Micros(String deviceId, String model, String version) {
        Instant now = Times.now();
        Aggregate a = queries.aggregate(model, version, List.of(deviceId), now.minus(settings.edgeWindow()), now);
        return a.latencySamples() > 0 && a.offloaded() == 0 ? OptionalLong.of(Math.round(a.p95Micros()))
                : OptionalLong.empty();
    }

    private static Vitals vitals(DeviceVitalsView v) {
        return new Vitals(v.rttP95Micros(), v.uplinkBytesPerSecond());
    }
}
