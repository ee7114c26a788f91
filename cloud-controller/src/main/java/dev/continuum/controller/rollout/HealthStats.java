package dev.continuum.controller.rollout;

/**
 * Telemetry aggregated over a set of devices for one model version.
 *
 * @param requests    requests served
 * @param errors      of them, ended in an error
 * @param p95Micros   end-to-end p95 from the merged latency histograms; null when there were no requests
 */
public record HealthStats(long requests, long errors, Long p95Micros) {
    public static final HealthStats NONE = new HealthStats(0, 0, null);

    public HealthStats {
        if (requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("expected 0 ≤ errors ≤ requests, got " + errors + " errors of "
                    + requests + " requests");
        }
        if (p95Micros != null && p95Micros < 0) {
            throw new IllegalArgumentException("p95Micros must not be negative, got " + p95Micros);
        }
    }
}
