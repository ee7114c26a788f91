package dev.continuum.controller.inference;

import dev.continuum.proto.telemetry.MergeableHistogram;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Latencies of the recent past: a ring of {@link MergeableHistogram} slices, so a snapshot covers
 * the last {@code window} (the current slice and the {@code slices - 1} before it) and old values
 * drop out one slice at a time. The histograms use the telemetry scheme, so cloud latencies merge
 * with latencies devices report. Thread-safe.
 */
public final class LatencyWindow {
    private final long sliceNanos;
    private final MergeableHistogram[] slices;
    /** The slice number ({@code clock / sliceNanos}) each ring entry holds; -1 when empty. */
    private final long[] sliceNumbers;
    private final LongSupplier nanoClock;

    /** Quantiles of a snapshot, microseconds; all 0 when {@code count} is 0. */
    public record Percentiles(long count, double p50Micros, double p95Micros, double p99Micros) {
        static Percentiles of(MergeableHistogram h) {
            return new Percentiles(h.count(), h.quantileMicros(0.50), h.quantileMicros(0.95), h.quantileMicros(0.99));
        }
    }

    public LatencyWindow(Duration window, int slices, LongSupplier nanoClock) {
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be at least 1, got " + slices);
        }
        if (window.toNanos() < slices) {
            throw new IllegalArgumentException("window " + window + " is too short for " + slices + " slices");
        }
        this.sliceNanos = window.toNanos() / slices;
        this.slices = new MergeableHistogram[slices];
        this.sliceNumbers = new long[slices];
        for (int i = 0; i < slices; i++) {
            this.slices[i] = new MergeableHistogram();
            this.sliceNumbers[i] = -1;
        }
        this.nanoClock = nanoClock;
    }

    public synchronized void record(long micros) {
        long n = Math.floorDiv(nanoClock.getAsLong(), sliceNanos);
        int i = (int) Math.floorMod(n, (long) slices.length);
        if (sliceNumbers[i] != n) {
            slices[i].clear();
            sliceNumbers[i] = n;
        }
        slices[i].record(micros);
    }

    /** The merged histogram of the slices still inside the window. */
    public synchronized MergeableHistogram snapshot() {
        long now = Math.floorDiv(nanoClock.getAsLong(), sliceNanos);
        MergeableHistogram merged = new MergeableHistogram();
        for (int i = 0; i < slices.length; i++) {
            if (sliceNumbers[i] > now - slices.length && sliceNumbers[i] <= now) {
                merged.add(slices[i]);
            }
        }
        return merged;
    }

    public Percentiles percentiles() {
        return Percentiles.of(snapshot());
    }
}
