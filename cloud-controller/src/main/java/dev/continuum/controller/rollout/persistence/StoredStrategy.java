package dev.continuum.controller.rollout.persistence;

import dev.continuum.controller.rollout.Strategy;
import dev.continuum.controller.rollout.Strategy.Gates;
import dev.continuum.controller.rollout.Strategy.Wave;
import java.time.Duration;
import java.util.List;

/** A {@link Strategy} as stored in {@code rollouts.strategy_json}: waves as written ("10%", "5"), durations in ms. */
record StoredStrategy(List<String> waves, long bakeMillis, double maxErrorRate, double maxP95BudgetMultiple,
                      long minRequests, int maxFailedDevices, int maxInFlight, long progressDeadlineMillis) {

    static StoredStrategy of(Strategy s) {
        return new StoredStrategy(s.waves().stream().map(StoredStrategy::text).toList(), s.bakeTime().toMillis(),
                s.gates().maxErrorRate(), s.gates().maxP95BudgetMultiple(), s.gates().minRequests(),
                s.gates().maxFailedDevices(), s.maxInFlight(), s.progressDeadline().toMillis());
    }

    Strategy strategy() {
        return new Strategy(waves.stream().map(Wave::parse).toList(), Duration.ofMillis(bakeMillis),
                new Gates(maxErrorRate, maxP95BudgetMultiple, minRequests, maxFailedDevices), maxInFlight,
                Duration.ofMillis(progressDeadlineMillis));
    }

    /** "10%" or "5": the form {@link Wave#parse} reads back. */
    static String text(Wave w) {
        return w.kind() == Wave.Kind.COUNT ? Long.toString((long) w.amount()) : w.toString();
    }
}
