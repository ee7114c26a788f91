package dev.continuum.controller.telemetry;

import java.time.Instant;
import java.util.List;

/** The JSON of the telemetry endpoints. Latencies in milliseconds, null when no request was timed. */
public final class TelemetryViews {
    private TelemetryViews() {
    }

    /** One model version's traffic on a device. */
    public record ModelLine(String model, String version, long requests, long errors, long offloaded, Double p50Millis,
                            Double p95Millis, Double p99Millis) {
        static ModelLine of(String model, String version, Aggregate a) {
            return new ModelLine(model, version, a.requests(), a.errors(), a.offloaded(), millis(a, a.p50Micros()),
                    millis(a, a.p95Micros()), millis(a, a.p99Micros()));
        }
    }

    /** One device's traffic for a model version. */
    public record DeviceLine(String deviceId, long requests, long errors, long offloaded, Double p50Millis,
                             Double p95Millis, Double p99Millis) {
        static DeviceLine of(String deviceId, Aggregate a) {
            return new DeviceLine(deviceId, a.requests(), a.errors(), a.offloaded(), millis(a, a.p50Micros()),
                    millis(a, a.p95Micros()), millis(a, a.p99Micros()));
        }
    }

    /** {@code GET /api/v1/devices/{id}/telemetry}. */
    public record DeviceTelemetry(String deviceId, Instant since, Instant until, long requests, long errors,
                                  long offloaded, Double p50Millis, Double p95Millis, Double p99Millis,
                                  List<ModelLine> models, DeviceVitalsView vitals) {
    }

    /** {@code GET /api/v1/models/{name}/versions/{version}/telemetry}. */
    public record ModelVersionTelemetry(String model, String version, Instant since, Instant until, long requests,
                                        long errors, long offloaded, Double p50Millis, Double p95Millis,
                                        Double p99Millis, List<DeviceLine> devices) {
    }

    /** Microseconds as milliseconds to the microsecond; null without samples. */
    static Double millis(Aggregate a, double micros) {
        return a.latencySamples() == 0 ? null : Math.round(micros) / 1000.0;
    }
}
