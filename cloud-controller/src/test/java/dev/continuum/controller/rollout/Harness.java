package dev.continuum.controller.rollout;

import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.rollout.Strategy.Gates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A rollout of model "det" version "2.0" driven step by step against a fake fleet, health view and clock. */
final class Harness {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final String VERSION = "2.0";
    static final Map<String, String> EU = Map.of("region", "eu");

    final FakeFleet fleet = new FakeFleet();
    final FakeHealth health = new FakeHealth();
    final TestClock clock = new TestClock(T0);
    final RolloutReconciler reconciler = new RolloutReconciler();
    Rollout rollout;
    Reconciliation last;

    static Strategy strategy(String waves, Duration bake, long minRequests, int maxInFlight) {
        return new Strategy(Strategy.waves(waves), bake, new Gates(0.01, 1.0, minRequests, 0), maxInFlight,
                Duration.ofMinutes(30));
    }

    static ModelCatalog catalog() {
        return new ModelCatalog() {
            @Override
            public Optional<String> aliasTarget(String model, String alias) {
                return model.equals("det") && alias.equals("production") ? Optional.of(VERSION) : Optional.empty();
            }

            @Override
            public boolean versionExists(String model, String version) {
                return model.equals("det") && List.of("1.0", "1.1", VERSION).contains(version);
            }
        };
    }

    Harness devices(int n, String assignedVersion) {
        for (int i = 0; i < n; i++) {
            fleet.add(String.format("d%02d", i), assignedVersion, EU);
        }
        return this;
    }

    Harness start(Strategy strategy) {
        rollout = new RolloutCommands(catalog()).create("r1", new RolloutSpec("det", VERSION, null, "region=eu", 30.0,
                PlacementPreference.EDGE_FIRST, strategy), "ci", List.of(), clock.instant());
        return this;
    }

    /** One reconciler step whose actions are applied to the fleet; returns its actions. */
    List<RolloutAction> step() {
        last = reconciler.step(rollout, clock, fleet, health);
        rollout = last.rollout();
        fleet.apply(last);
        return last.actions();
    }

    /** Agents apply their desired state, then a step. */
    List<RolloutAction> syncAndStep() {
        fleet.agentsSync();
        return step();
    }

    List<String> assignedIn(List<RolloutAction> actions) {
        return actions.stream().filter(a -> a instanceof RolloutAction.AssignVersion)
                .map(a -> ((RolloutAction.AssignVersion) a).deviceId()).toList();
    }

    List<String> touched() {
        return rollout.touched().stream().map(Rollout.Member::deviceId).toList();
    }

    int wave() {
        return rollout.progress().wave();
    }
}
