package dev.continuum.agent.link;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code k} waits a random time between half and all of
 * {@code min(max, min * 2^k)}, so a fleet that lost its controller does not reconnect in lockstep.
 */
public final class Backoff {
    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;

    /** {@code random} returns values in [0, 1). */
    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.min = min;
        this.max = max;
        this.random = random;
    }

    public Duration delay(int attempt) {
        double ceiling = Math.min(max.toNanos(), min.toNanos() * Math.pow(2, Math.min(attempt, 40)));
        double jittered = ceiling / 2 + random.getAsDouble() * ceiling / 2;
        return Duration.ofNanos((long) jittered);
    }
}
