package dev.continuum.agent.telemetry;

/**
 * An estimate of the device's uplink bandwidth from the requests it forwards to the controller: each
 * forwarded request contributes {@code request bytes / round trip}, smoothed with an exponentially
 * weighted moving average ({@value #ALPHA} of each new sample). The round trip includes the
 * controller's compute and the answer's transfer, so this is a lower bound that approaches the link's
 * rate as bodies grow; bodies under {@value #MIN_BYTES} bytes say nothing about bandwidth and are
 * ignored. Thread-safe.
 */
public final class UplinkEstimate {
    static final double ALPHA = 0.2;
    static final long MIN_BYTES = 256;

    private double bytesPerSecond;
    private boolean sampled;

    /** One forwarded request: {@code bytes} sent, answered after {@code roundTripNanos}. */
    public synchronized void record(long bytes, long roundTripNanos) {
        if (bytes < MIN_BYTES || roundTripNanos <= 0) {
            return;
        }
        double sample = bytes * 1e9 / roundTripNanos;
        bytesPerSecond = sampled ? bytesPerSecond + ALPHA * (sample - bytesPerSecond) : sample;
        sampled = true;
    }

    /** The current estimate in bytes per second; 0 until a request was forwarded. */
    public synchronized long bytesPerSecond() {
        return Math.round(bytesPerSecond);
    }
}
