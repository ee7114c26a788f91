package dev.continuum.agent.profile;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Emulates a slower device ({@code emulate-slowdown}): every local inference is stretched to
 * {@code factor} × its measured time by sleeping the difference after computing (the answer is
 * unchanged), and the figures the controller places by are scaled to match: the device profile's
 * GFLOP/s divided by the factor, the post-install latency probe multiplied by it. A factor of 1 is
 * no slowdown.
 */
public record Slowdown(double factor) {
    public static final Slowdown NONE = new Slowdown(1);

    public Slowdown {
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("emulate-slowdown: expected a factor of at least 1 (1 = off), got " + factor);
        }
    }

    public boolean active() {
        return factor > 1;
    }

    /** Runs {@code work}, then sleeps until {@code factor} × its time has passed (also when it throws). */
    public <T> T run(Supplier<T> work) {
        if (!active()) {
            return work.get();
        }
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            stretch(t0, System.nanoTime() - t0);
        }
    }

    /** Sleeps {@code (factor - 1) × workNanos} after {@code startNanos + workNanos}; keeps the thread's interrupt. */
    void stretch(long startNanos, long workNanos) {
        long deadline = startNanos + Math.round(workNanos * factor);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** A latency measured at full speed, as the slowed device reports it. */
    public long scaleMicros(long micros) {
        return Math.round(micros * factor);
    }

    /** A throughput measured at full speed (GFLOP/s), as the slowed device reports it. */
    public double scaleThroughput(double gflops) {
        return gflops / factor;
    }
}
