package dev.continuum.controller.rollout;

import static dev.continuum.controller.rollout.Harness.EU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.controller.rollout.RolloutAction.RevertVersion;
import dev.continuum.controller.rollout.Strategy.Gates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutRollbackTest {
    private final Harness h = new Harness();

    /** d00 on 1.0, d01 on 1.1, d02 without the model, d03..d09 on 1.0; the first wave (30%) is d00..d02. */
    private void mixedFleetInFirstWave(Strategy strategy) {
        h.fleet.add("d00", "1.0", EU);
        h.fleet.add("d01", "1.1", EU);
        h.fleet.add("d02", null, EU);
        for (int i = 3; i < 10; i++) {
            h.fleet.add("d0" + i, "1.0", EU);
        }
        h.start(strategy);
        assertThat(h.assignedIn(h.step())).containsExactly("d00", "d01", "d02");
    }

    @Test
    void aFailedErrorRateGateRollsBackExactlyTheTouchedDevicesToTheirOwnPreviousVersions() {
        mixedFleetInFirstWave(Harness.strategy("30%,100%", Duration.ofMinutes(10), 100, 10));
        h.health.stats = new HealthStats(200, 20, 20_000L);
        List<RolloutAction> actions = h.syncAndStep();

        assertThat(h.rollout.state()).isEqualTo(RolloutState.ROLLED_BACK);
        String reason = "health gate failed in wave 1 of 2 (30%): error rate 10.0% (20 of 200 requests) > 1.0%";
        assertThat(h.rollout.stateReason()).isEqualTo(reason);
        assertThat(actions).as("during the bake, before it ends: a failed gate does not wait").containsExactly(
                new RevertVersion("r1", "d00", "det", "2.0", "1.0"),
                new RevertVersion("r1", "d01", "det", "2.0", "1.1"),
                new RevertVersion("r1", "d02", "det", "2.0", null),
                new RolloutAction.ChangeState("r1", RolloutState.RUNNING, RolloutState.ROLLED_BACK, reason));
        assertThat(h.fleet.get("d00").assigned).isEqualTo("1.0");
        assertThat(h.fleet.get("d01").assigned).isEqualTo("1.1");
        assertThat(h.fleet.get("d02").assigned).isNull();
        for (int i = 3; i < 10; i++) {
            assertThat(h.fleet.get("d0" + i).assigned).isEqualTo("1.0");
        }
        assertThat(h.step()).as("once reverted there is nothing left to do").isEmpty();
        assertThat(h.rollout.message()).isEqualTo("every touched device is back on its previous version");
    }

    @Test
    void aRevertThatWasNotAppliedIsEmittedAgainByTheNextStep() {
        mixedFleetInFirstWave(Harness.strategy("30%,100%", Duration.ZERO, 100, 10));
        h.health.stats = new HealthStats(200, 20, 20_000L);
        h.fleet.agentsSync();
        Reconciliation lost = h.reconciler.step(h.rollout, h.clock, h.fleet, h.health);
        h.rollout = lost.rollout(); // the caller stored the state but crashed before applying the reverts
        assertThat(h.step()).containsExactly(
                new RevertVersion("r1", "d00", "det", "2.0", "1.0"),
                new RevertVersion("r1", "d01", "det", "2.0", "1.1"),
                new RevertVersion("r1", "d02", "det", "2.0", null));
        assertThat(h.step()).isEmpty();
    }

    @Test
    void aP95AboveTheBudgetMultipleFailsTheGate() {
        Strategy s = new Strategy(Strategy.waves("50%,100%"), Duration.ZERO, new Gates(0.01, 1.5, 100, 0), 10,
                Duration.ofMinutes(30));
        h.devices(4, "1.0").start(s);
        h.step();
        h.health.stats = new HealthStats(1000, 0, 44_000L);
        h.syncAndStep();
        assertThat(h.rollout.state()).as("44 ms is within 30 ms × 1.5").isEqualTo(RolloutState.RUNNING);
        h.health.stats = new HealthStats(1000, 0, 50_000L);
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(h.rollout.stateReason()).endsWith("p95 50.0 ms > 45 ms (budget 30 ms × 1.5)");
        assertThat(h.fleet.devices.values()).allMatch(d -> "1.0".equals(d.assigned));
    }

    @Test
    void theP95IsJudgedWhenTheWaveHasBakedWhileErrorsFailAtOnce() {
        Strategy s = new Strategy(Strategy.waves("50%,100%"), Duration.ofMinutes(10), new Gates(0.01, 1.0, 100, 0),
                10, Duration.ofMinutes(30));
        h.devices(4, "1.0").start(s);
        h.step();
        h.health.stats = new HealthStats(150, 0, 90_000L);
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(5));
        h.step();
        assertThat(h.rollout.state()).as("a cold start's p95 during the bake does not decide the wave")
                .isEqualTo(RolloutState.RUNNING);
        assertThat(h.rollout.message()).contains("baking until");

        h.health.stats = new HealthStats(1000, 0, 20_000L);
        h.clock.advance(Duration.ofMinutes(5));
        h.step();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(h.rollout.message()).contains("wave 1 of 2 (50%) passed (error rate 0.0% (0 of 1000 requests) ≤ "
                + "1.0%, p95 20.0 ms ≤ 30 ms (the budget))");

        h.health.stats = new HealthStats(1000, 0, 31_000L);
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(9));
        h.step();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.RUNNING);
        h.clock.advance(Duration.ofMinutes(1));
        h.step();
        assertThat(h.rollout.state()).as("the last wave over the budget once baked").isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(h.rollout.stateReason())
                .isEqualTo("health gate failed in wave 2 of 2 (100%): p95 31.0 ms > 30 ms (the budget)");
        assertThat(h.fleet.devices.values()).allMatch(d -> "1.0".equals(d.assigned));
    }

    @Test
    void anErrorRateOverItsGateRollsBackDuringTheBake() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ofMinutes(10), 100, 10));
        h.step();
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(1));
        h.health.stats = new HealthStats(100, 5, 1_000L);
        h.step();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(h.rollout.stateReason()).endsWith("error rate 5.0% (5 of 100 requests) > 1.0%");
    }

    @Test
    void aDeviceThatCannotInstallTheVersionFailsTheGateUnlessFailuresAreAllowed() {
        h.devices(3, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        h.fleet.get("d01").broken = true;
        h.step();
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(h.rollout.stateReason()).isEqualTo("health gate failed in wave 1 of 1 (100%): 1 device(s) report "
                + "2.0 FAILED (d01); at most 0 allowed");
        assertThat(h.fleet.devices.values()).allMatch(d -> "1.0".equals(d.assigned));

        Harness tolerant = new Harness();
        tolerant.devices(3, "1.0").start(new Strategy(Strategy.waves("100%"), Duration.ZERO, new Gates(0.01, 1, 0, 1),
                10, Duration.ofMinutes(30)));
        tolerant.fleet.get("d01").broken = true;
        tolerant.step();
        tolerant.syncAndStep();
        assertThat(tolerant.rollout.state()).isEqualTo(RolloutState.COMPLETED);
        assertThat(tolerant.rollout.progress().waves().get(0).failed()).isEqualTo(1);
    }

    @Test
    void aManualRollbackOfACompletedRolloutRevertsTouchedDevicesThatStillRunItsVersion() {
        h.devices(3, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        h.fleet.add("d09", "2.0", EU); // had the version before: nothing to revert
        h.step();
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);
        h.fleet.get("d02").assigned = "1.1"; // moved on by hand since

        h.rollout = RolloutCommands.rollBack(h.rollout, "alice", Harness.T0);
        assertThat(h.rollout.stateReason()).isEqualTo("rolled back by alice");
        assertThat(h.step()).containsExactly(
                new RevertVersion("r1", "d00", "det", "2.0", "1.0"),
                new RevertVersion("r1", "d01", "det", "2.0", "1.0"));
        assertThat(h.fleet.get("d02").assigned).isEqualTo("1.1");
        assertThat(h.fleet.get("d09").assigned).isEqualTo("2.0");
        assertThat(h.step()).isEmpty();
        assertThatThrownBy(() -> RolloutCommands.rollBack(h.rollout, "alice", Harness.T0))
                .isInstanceOf(RolloutStateException.class)
                .hasMessage("cannot roll back rollout 'r1': it is ROLLED_BACK; only RUNNING, PAUSED, COMPLETED, FAILED "
                        + "or ABORTED rollouts can be rolled back");
    }

    @Test
    void aManualRollbackOfARunningRolloutLeavesPlannedButUntouchedDevicesAlone() {
        h.devices(6, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 2));
        assertThat(h.assignedIn(h.step())).containsExactly("d00", "d01");
        h.rollout = RolloutCommands.rollBack(h.rollout, "bob", Harness.T0);
        assertThat(h.step()).extracting(a -> ((RevertVersion) a).deviceId()).containsExactly("d00", "d01");
        assertThat(h.fleet.devices.values()).allMatch(d -> "1.0".equals(d.assigned));
    }

    @Test
    void pauseFreezesTheRolloutAndResumeCarriesOn() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ZERO, 0, 10));
        h.step();
        h.rollout = RolloutCommands.pause(h.rollout, "carol", Harness.T0);
        Rollout paused = h.rollout;
        h.clock.advance(Duration.ofHours(1));
        assertThat(h.syncAndStep()).isEmpty();
        assertThat(h.rollout).isEqualTo(paused);
        assertThatThrownBy(() -> RolloutCommands.pause(paused, "carol", Harness.T0))
                .isInstanceOf(RolloutStateException.class).hasMessageContaining("it is PAUSED; only RUNNING");

        h.rollout = RolloutCommands.resume(h.rollout, "carol", Harness.T0);
        assertThat(h.rollout.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(h.rollout.stateReason()).isEqualTo("resumed by carol");
        assertThat(h.assignedIn(h.step())).containsExactly("d02", "d03");
        assertThatThrownBy(() -> RolloutCommands.resume(h.rollout, "carol", Harness.T0))
                .isInstanceOf(RolloutStateException.class).hasMessageContaining("only PAUSED rollouts can be resumed");
    }

    @Test
    void abortStopsTheRolloutAndLeavesDevicesAsTheyAre() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ZERO, 0, 10));
        h.step();
        h.rollout = RolloutCommands.abort(h.rollout, "dave", Harness.T0);
        assertThat(h.rollout.state()).isEqualTo(RolloutState.ABORTED);
        assertThat(h.syncAndStep()).isEmpty();
        assertThat(h.fleet.get("d00").assigned).isEqualTo("2.0");
        assertThat(h.fleet.get("d02").assigned).isEqualTo("1.0");
        assertThatThrownBy(() -> RolloutCommands.abort(h.rollout, "dave", Harness.T0))
                .isInstanceOf(RolloutStateException.class).hasMessageContaining("only RUNNING or PAUSED");
        assertThatThrownBy(() -> RolloutCommands.pause(h.rollout, "dave", Harness.T0))
                .isInstanceOf(RolloutStateException.class);

        Rollout rolledBack = RolloutCommands.rollBack(h.rollout, "dave", Harness.T0);
        assertThat(rolledBack.state()).as("an aborted rollout can still be rolled back").isEqualTo(RolloutState.ROLLED_BACK);
    }

    @Test
    void stateErrorsAreConflictsNamingTheRolloutAndItsState() {
        h.devices(1, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        RolloutStateException e = org.junit.jupiter.api.Assertions.assertThrows(RolloutStateException.class,
                () -> RolloutCommands.resume(h.rollout, "x", Harness.T0));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.field()).isEqualTo("state");
        assertThat(e.extensions()).containsEntry("rolloutId", "r1").containsEntry("currentState", "RUNNING");
    }
}
