package dev.continuum.controller.rollout;

import static dev.continuum.controller.rollout.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.rollout.Strategy.Gates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutCommandsTest {
    private final RolloutCommands commands = new RolloutCommands(Harness.catalog());

    private static RolloutSpec spec(String selector) {
        return new RolloutSpec("det", "2.0", null, selector, 30.0, null, null);
    }

    private Rollout create(String id, String selector, List<Rollout> existing) {
        return commands.create(id, spec(selector), "ci", existing, T0);
    }

    @Test
    void aNewRolloutIsRunningWithDefaultsAndTheAliasResolvedOnce() {
        Rollout r = commands.create("r1", new RolloutSpec("det", null, "production", "region=eu", 25.0, null, null),
                "ci", List.of(), T0);
        assertThat(r.version()).isEqualTo("2.0");
        assertThat(r.alias()).isEqualTo("production");
        assertThat(r.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(r.stateReason()).isEqualTo("created by ci");
        assertThat(r.preference()).isEqualTo(PlacementPreference.EDGE_FIRST);
        assertThat(r.strategy()).isEqualTo(Strategy.defaults());
        assertThat(r.budgetMillis()).isEqualTo(25.0);
        assertThat(r.progress()).isEqualTo(Rollout.Progress.start(T0));
        assertThat(Strategy.defaults().waves()).extracting(Object::toString).containsExactly("1%", "10%", "50%", "100%");
    }

    @Test
    void anUnknownVersionOrAliasIsNotFound() {
        assertThatThrownBy(() -> commands.create("r1", new RolloutSpec("det", "9.9", null, "a=b", 30.0, null, null),
                "ci", List.of(), T0)).isInstanceOf(NotFoundException.class).hasMessage("version 'det/9.9' not found");
        assertThatThrownBy(() -> commands.create("r1", new RolloutSpec("det", null, "staging", "a=b", 30.0, null, null),
                "ci", List.of(), T0)).isInstanceOf(NotFoundException.class).hasMessage("alias 'det/staging' not found");
    }

    @Test
    void invalidSpecsAreRefusedNamingTheField() {
        assertField(() -> commands.create("r1", new RolloutSpec("det", "2.0", "production", "a=b", 30.0, null, null),
                "ci", List.of(), T0), "version");
        assertField(() -> commands.create("r1", new RolloutSpec("det", null, null, "a=b", 30.0, null, null),
                "ci", List.of(), T0), "version");
        assertField(() -> create("r1", " ", List.of()), "selector");
        assertField(() -> create("r1", "region in (eu", List.of()), "selector");
        assertField(() -> commands.create("r1", new RolloutSpec("det", "2.0", null, "a=b", 0.0, null, null),
                "ci", List.of(), T0), "budgetMillis");
        assertField(() -> commands.create("r1", new RolloutSpec("det", "2.0", null, "a=b", null, null, null),
                "ci", List.of(), T0), "budgetMillis");
        assertField(() -> commands.create("r1", new RolloutSpec("bad name", "2.0", null, "a=b", 30.0, null, null),
                "ci", List.of(), T0), "model");
        assertField(() -> commands.create("r1", null, "ci", List.of(), T0), "body");
    }

    @Test
    void invalidStrategiesAreRefusedNamingTheField() {
        assertField(() -> Strategy.waves("10%,5%"), "strategy.waves[1]");
        assertField(() -> Strategy.waves("5,5"), "strategy.waves[1]");
        assertField(() -> Strategy.waves("0%"), "strategy.waves");
        assertField(() -> Strategy.waves("101%"), "strategy.waves");
        assertField(() -> Strategy.waves("0"), "strategy.waves");
        assertField(() -> Strategy.waves("ten"), "strategy.waves");
        assertField(() -> Strategy.waves(""), "strategy.waves");
        assertField(() -> new Strategy(List.of(), Duration.ZERO, Gates.defaults(), 1, Duration.ofMinutes(1)),
                "strategy.waves");
        List<Strategy.Wave> w = Strategy.waves("100%");
        assertField(() -> new Strategy(w, Duration.ofSeconds(-1), Gates.defaults(), 1, Duration.ofMinutes(1)),
                "strategy.bakeTime");
        assertField(() -> new Strategy(w, Duration.ZERO, null, 1, Duration.ofMinutes(1)), "strategy.gates");
        assertField(() -> new Strategy(w, Duration.ZERO, Gates.defaults(), 0, Duration.ofMinutes(1)),
                "strategy.maxInFlight");
        assertField(() -> new Strategy(w, Duration.ZERO, Gates.defaults(), 1, Duration.ZERO), "strategy.progressDeadline");
        assertField(() -> new Gates(1.5, 1, 0, 0), "strategy.gates.maxErrorRate");
        assertField(() -> new Gates(0.01, 0, 0, 0), "strategy.gates.maxP95BudgetMultiple");
        assertField(() -> new Gates(0.01, 1, -1, 0), "strategy.gates.minRequests");
        assertField(() -> new Gates(0.01, 1, 0, -1), "strategy.gates.maxFailedDevices");
        assertThat(Strategy.waves("1, 10%, 100%")).extracting(Object::toString)
                .containsExactly("1 device", "10%", "100%");
    }

    @Test
    void anActiveRolloutOfTheSameModelWithAnOverlappingSelectorIsAConflict() {
        Rollout eu = create("r1", "region=eu", List.of());
        RolloutConflictException e = org.junit.jupiter.api.Assertions.assertThrows(RolloutConflictException.class,
                () -> create("r2", "tier=gold", List.of(eu)));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.field()).isEqualTo("selector");
        assertThat(e.conflictingRolloutId()).isEqualTo("r1");
        assertThat(e.extensions()).containsEntry("rolloutId", "r1").containsEntry("conflictingSelector", "region=eu");
        assertThat(e.getMessage()).startsWith("rollout 'r1' (det 2.0, RUNNING) already targets selector 'region=eu', "
                + "which may match the same devices as 'tier=gold'");

        Rollout paused = RolloutCommands.pause(eu, "ops", T0);
        assertThatThrownBy(() -> create("r2", "region in (eu,us)", List.of(paused)))
                .isInstanceOf(RolloutConflictException.class);
    }

    @Test
    void disjointSelectorsOtherModelsAndFinishedRolloutsDoNotConflict() {
        Rollout eu = create("r1", "region=eu", List.of());
        assertThat(create("r2", "region=us", List.of(eu)).id()).isEqualTo("r2");

        Rollout otherModel = new Rollout("r3", "other", "1", null, "region=eu", 30, PlacementPreference.EDGE_FIRST,
                Strategy.defaults(), "ci", T0, RolloutState.RUNNING, "", T0, "", Rollout.Progress.start(T0));
        assertThat(create("r4", "region=eu", List.of(otherModel)).id()).isEqualTo("r4");

        Rollout aborted = RolloutCommands.abort(eu, "ops", T0);
        Rollout completed = eu.withState(RolloutState.COMPLETED, "done", T0);
        assertThat(create("r5", "region=eu", List.of(aborted, completed)).id()).isEqualTo("r5");
    }

    private static void assertField(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
