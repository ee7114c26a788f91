package dev.continuum.agent.profile;

import dev.continuum.engine.Session;

/**
 * Measures one model's inference latency on this device right after install, on zero-filled inputs of
 * the declared shapes (a dynamic dimension counts as 1): a {@link SessionTimer} warm-up first, which also makes the
 * model serve at its steady speed from its first request, then up to {@code maxRuns} timed runs within
 * about {@code budgetMillis}.
 */
public final class LatencyProbe {
    /** Latency percentiles of one inference. */
    public record Latency(long p50Micros, long p95Micros, int runs) {
    }

    private LatencyProbe() {
    }

    public static Latency measure(Session session, int maxRuns, long budgetMillis) {
        return measure(session, maxRuns, budgetMillis, Slowdown.NONE);
    }

    /**
     * As {@link #measure(Session, int, long)} on a device {@code slowdown} times slower: the runs
     * are timed at full speed and the percentiles multiplied by the factor (what the slowed inference
     * path would take, without spending that time at install).
     */
    public static Latency measure(Session session, int maxRuns, long budgetMillis, Slowdown slowdown) {
        long[] nanos = SessionTimer.warmAndTime(session, session.zeroInputs(), maxRuns, budgetMillis);
        return new Latency(slowdown.scaleMicros(percentile(nanos, 50) / 1000),
                slowdown.scaleMicros(percentile(nanos, 95) / 1000), nanos.length);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
