package dev.continuum.controller.telemetry;

/**
 * Traffic of a model version over a time window (on some devices): requests and errors reported,
 * requests served in the cloud ({@code offloaded}), and latency quantiles from the merged
 * histograms (each within one histogram bucket, about 9%, of the true value; 0 when
 * {@code latencySamples} is 0).
 */
public record Aggregate(long requests, long errors, long offloaded, long latencySamples, double p50Micros,
                        double p95Micros, double p99Micros) {
    public static final Aggregate EMPTY = new Aggregate(0, 0, 0, 0, 0, 0, 0);

    /** Errors per request; 0 without requests. */
    public double errorRate() {
        return requests == 0 ? 0 : errors / (double) requests;
    }
}
