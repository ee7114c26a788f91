package dev.continuum.controller.telemetry;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.LatencyHistogram;

/** Sums telemetry rows: counts add up, histograms merge bucket by bucket. */
final class Tally {
    private long requests;
    private long errors;
    private long offloaded;
    private final MergeableHistogram latency = new MergeableHistogram();

    void add(String placement, long requests, long errors, LatencyHistogram histogram) {
        this.requests += requests;
        this.errors += errors;
        if ("CLOUD".equals(placement)) {
            offloaded += requests;
        }
        latency.add(histogram);
    }

    void add(Tally o) {
        requests += o.requests;
        errors += o.errors;
        offloaded += o.offloaded;
        latency.add(o.latency);
    }

    Aggregate aggregate() {
        return new Aggregate(requests, errors, offloaded, latency.count(), latency.quantileMicros(0.50),
                latency.quantileMicros(0.95), latency.quantileMicros(0.99));
    }
}
