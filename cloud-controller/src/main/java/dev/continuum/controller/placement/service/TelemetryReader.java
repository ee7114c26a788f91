package dev.continuum.controller.placement.service;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;

/** What rollouts and placement read from device telemetry. */
public interface TelemetryReader {
    /** Requests, errors and merged p95 of a model version on some devices since a time; p95 null without samples. */
    record Health(long requests, long errors, Long p95Micros) {
        public static final Health NONE = new Health(0, 0, null);
    }

    /** A device's newest link measurements; null where not measured. */
    record Vitals(Long rttP95Micros, Long uplinkBytesPerSecond) {
        public static final Vitals UNKNOWN = new Vitals(null, null);
    }

    Health health(String model, String version, Set<String> deviceIds, Instant since);

    Vitals vitals(String deviceId);

    /** p95 of the version measured on the device when it runs there, microseconds. */
    OptionalLong edgeP95Micros(String deviceId, String model, String version);

    /** Whether the device's telemetry link reports it online now. */
    boolean online(String deviceId);
}
