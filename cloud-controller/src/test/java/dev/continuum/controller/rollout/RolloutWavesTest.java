package dev.continuum.controller.rollout;

import static dev.continuum.controller.rollout.Harness.EU;
import static dev.continuum.controller.rollout.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.rollout.Rollout.WaveProgress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutWavesTest {
    private final Harness h = new Harness();

    @Test
    void wavesAdvanceOnlyAfterEveryDeviceServesTheBakeTimeHasPassedAndTheGatesPass() {
        h.devices(10, "1.0").start(Harness.strategy("10%,50%,100%", Duration.ofMinutes(10), 100, 10));

        assertThat(h.assignedIn(h.step())).containsExactly("d00");
        assertThat(h.rollout.message()).isEqualTo("wave 1 of 3 (10%): 0 of 1 device(s) serving 2.0, 1 updating; "
                + "waiting for devices to report 2.0 serving");
        assertThat(h.step()).as("told, but not yet serving: nothing more to do").isEmpty();

        h.health.healthy(500);
        assertThat(h.syncAndStep()).isEmpty();
        assertThat(h.rollout.message()).endsWith("baking until 2025-03-01T12:10:00Z");
        h.clock.advance(Duration.ofMinutes(9));
        assertThat(h.step()).as("the gate passes but the bake time has not passed").isEmpty();
        assertThat(h.wave()).isZero();

        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.assignedIn(h.step())).containsExactly("d01", "d02", "d03", "d04");
        assertThat(h.wave()).isEqualTo(1);
        assertThat(h.rollout.message()).contains("wave 1 of 3 (10%) passed (error rate 0.0% (0 of 500 requests) ≤ 1.0%, "
                + "p95 20.0 ms ≤ 30 ms (the budget)); started wave 2 of 3 (50%)");

        h.syncAndStep();
        assertThat(h.health.lastDevices).containsExactlyInAnyOrder("d00", "d01", "d02", "d03", "d04");
        assertThat(h.health.lastSince).as("gates read telemetry since the wave started").isEqualTo(T0.plusSeconds(600));
        h.clock.advance(Duration.ofMinutes(10));
        assertThat(h.assignedIn(h.step())).containsExactly("d05", "d06", "d07", "d08", "d09");
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(10));
        List<RolloutAction> last = h.step();

        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);
        assertThat(last).containsExactly(new RolloutAction.ChangeState("r1", RolloutState.RUNNING,
                RolloutState.COMPLETED, h.rollout.stateReason()));
        assertThat(h.rollout.stateReason()).startsWith("every wave passed its gates");
        assertThat(h.rollout.progress().waves()).containsExactly(
                new WaveProgress(0, "10%", 1, 1, 1, 1, 0, 0),
                new WaveProgress(1, "50%", 5, 4, 4, 4, 0, 0),
                new WaveProgress(2, "100%", 10, 5, 5, 5, 0, 0));
        assertThat(h.step()).as("a completed rollout is left alone").isEmpty();
    }

    @Test
    void aWaveWaitsForEveryOnlineDeviceToServeAndBakesFromThen() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ofMinutes(10), 0, 10));
        h.fleet.get("d01").hung = true;
        h.step();
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(20));
        assertThat(h.step()).isEmpty();
        assertThat(h.wave()).isZero();
        assertThat(h.rollout.message()).isEqualTo("wave 1 of 2 (50%): 1 of 2 device(s) serving 2.0, 1 updating; "
                + "waiting for devices to report 2.0 serving");
        assertThat(h.rollout.progress().waves().get(0)).isEqualTo(new WaveProgress(0, "50%", 2, 2, 1, 0, 0, 0));

        h.fleet.get("d01").hung = false;
        h.syncAndStep();
        assertThat(h.rollout.progress().waveServingSince()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
        h.clock.advance(Duration.ofMinutes(9));
        assertThat(h.step()).as("bake counts from when the wave was fully serving").isEmpty();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.assignedIn(h.step())).containsExactly("d02", "d03");
    }

    @Test
    void theMinimumRequestCountHoldsAWaveUntilEnoughTrafficHasBeenSeen() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ZERO, 100, 10));
        h.step();
        h.health.healthy(50);
        assertThat(h.syncAndStep()).isEmpty();
        h.clock.advance(Duration.ofHours(5));
        assertThat(h.step()).isEmpty();
        assertThat(h.wave()).isZero();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(h.rollout.message()).endsWith("health gate waiting for 100 requests, 50 so far");

        h.health.healthy(100);
        assertThat(h.assignedIn(h.step())).containsExactly("d02", "d03");
    }

    @Test
    void tooFewRequestsNeitherPassNorFailAGateEvenWithErrors() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ZERO, 100, 10));
        h.step();
        h.health.stats = new HealthStats(10, 9, 900_000L);
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(h.wave()).isZero();
    }

    @Test
    void noMoreThanMaxInFlightOnlineDevicesUpdateAtOnceWhileOfflineOnesAreToldAtOnce() {
        h.devices(6, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 2));
        h.fleet.get("d05").online = false;
        assertThat(h.assignedIn(h.step())).containsExactly("d00", "d01", "d05");
        assertThat(h.step()).isEmpty();
        assertThat(h.assignedIn(h.syncAndStep())).containsExactly("d02", "d03");
        assertThat(h.assignedIn(h.syncAndStep())).containsExactly("d04");
    }

    @Test
    void anOfflineDeviceDoesNotHoldItsWaveAndCatchesUpWhenItReturns() {
        h.devices(4, "1.0").start(Harness.strategy("50%,100%", Duration.ofMinutes(10), 0, 10));
        h.fleet.get("d01").online = false;
        assertThat(h.assignedIn(h.step())).as("an offline device is told at once; its agent applies it on return")
                .containsExactly("d00", "d01");
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(10));
        assertThat(h.assignedIn(h.step())).containsExactly("d02", "d03");
        assertThat(h.wave()).isEqualTo(1);
        assertThat(h.rollout.progress().waves().get(0)).isEqualTo(new WaveProgress(0, "50%", 2, 2, 1, 1, 0, 1));
        assertThat(h.rollout.message()).contains("1 offline");

        // while away, its desired state was lost (say, an assignment written by hand): the reconciler tells it again
        h.fleet.get("d01").assigned = "1.0";
        assertThat(h.assignedIn(h.step())).containsExactly("d01");
        assertThat(h.fleet.get("d01").assigned).isEqualTo("2.0");

        h.fleet.get("d01").online = true;
        h.syncAndStep();
        assertThat(h.rollout.progress().waves().get(0)).isEqualTo(new WaveProgress(0, "50%", 2, 2, 2, 2, 0, 0));
        h.clock.advance(Duration.ofMinutes(10));
        h.step();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);
    }

    @Test
    void aDeviceEnrolledAfterTheStartJoinsALaterWaveAndOneEnrolledDuringTheLastWaveIsToldAtTheNextStep() {
        h.devices(4, "1.0").start(Harness.strategy("1,2,100%", Duration.ZERO, 0, 10));
        assertThat(h.assignedIn(h.step())).containsExactly("d00");
        h.fleet.add("d10", "1.0", EU);
        h.fleet.add("x99", "1.0", Map.of("region", "us"));
        assertThat(h.assignedIn(h.syncAndStep())).containsExactly("d01");
        assertThat(h.assignedIn(h.syncAndStep())).containsExactly("d02", "d03", "d10");
        assertThat(h.rollout.progress().waves().get(2).cumulativeTarget()).isEqualTo(5);

        h.fleet.add("d11", null, EU);
        assertThat(h.assignedIn(h.step())).containsExactly("d11");
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);
        assertThat(h.touched()).containsExactly("d00", "d01", "d02", "d03", "d10", "d11");
        assertThat(h.fleet.get("x99").assigned).isEqualTo("1.0");
    }

    @Test
    void aCompletedRolloutToEveryMatchingDeviceTakesInADeviceThatAppearsLaterWithoutTheModel() {
        h.devices(2, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        h.step();
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);

        h.fleet.add("d20", null, EU);
        h.fleet.add("d21", "1.1", EU); // runs another version, assigned by someone else: not ours to change
        h.fleet.add("x99", null, Map.of("region", "us"));
        h.fleet.get("d00").assigned = null; // an operator removed the model from a device the rollout updated
        assertThat(h.assignedIn(h.step())).containsExactly("d20");
        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);
        assertThat(h.rollout.message()).isEqualTo("1 device(s) matching 'region=eu' after the rollout completed told "
                + "to run 2.0: d20");
        assertThat(h.touched()).contains("d20");
        assertThat(h.step()).as("once told, it is a member").isEmpty();
    }

    @Test
    void aCompletedRolloutThatStoppedShortOfEveryDeviceTakesInNobody() {
        h.devices(4, "1.0").start(Harness.strategy("1,50%", Duration.ZERO, 0, 10));
        h.step();
        h.syncAndStep();
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.COMPLETED);
        h.fleet.add("d20", null, EU);
        assertThat(h.step()).isEmpty();
    }

    @Test
    void wavesThatWouldAddNoDeviceOnASmallFleetAreSkipped() {
        h.devices(2, "1.0").start(Harness.strategy("1%,10%,50%,100%", Duration.ofMinutes(10), 0, 10));
        assertThat(h.assignedIn(h.step())).containsExactly("d00");
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(10));
        assertThat(h.assignedIn(h.step())).containsExactly("d01");
        assertThat(h.rollout.message()).endsWith("started wave 2 of 4 (10%)");
        h.syncAndStep();
        h.clock.advance(Duration.ofMinutes(10));
        h.step();
        assertThat(h.rollout.state()).as("waves 3 and 4 have nothing left to add: no extra bake")
                .isEqualTo(RolloutState.COMPLETED);
        assertThat(h.rollout.progress().waves()).extracting(WaveProgress::cumulativeTarget).containsExactly(1, 2, 2, 2);
    }

    @Test
    void aDeviceThatAlreadyHadTheVersionIsCountedWithoutBeingToldAgain() {
        h.devices(2, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        h.fleet.add("d05", "2.0", EU);
        assertThat(h.assignedIn(h.step())).containsExactly("d00", "d01");
        assertThat(h.rollout.progress().members()).filteredOn(m -> m.deviceId().equals("d05"))
                .singleElement().satisfies(m -> {
                    assertThat(m.assigned()).isTrue();
                    assertThat(m.previousVersion()).isEqualTo("2.0");
                });
    }

    @Test
    void anOnlineDeviceThatNeverFinishesUpdatingFailsTheRolloutAfterTheProgressDeadline() {
        h.devices(2, "1.0").start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        h.fleet.get("d01").hung = true;
        h.step();
        h.clock.advance(Duration.ofMinutes(29));
        h.syncAndStep();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.RUNNING);
        h.clock.advance(Duration.ofMinutes(1));
        List<RolloutAction> actions = h.step();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.FAILED);
        assertThat(h.rollout.stateReason()).isEqualTo("1 device(s) did not report 2.0 serving within the progress "
                + "deadline of 30 min: d01");
        assertThat(actions).as("a failed rollout leaves devices as they are").hasSize(1)
                .allMatch(a -> a instanceof RolloutAction.ChangeState);
    }

    @Test
    void aRolloutWhoseSelectorMatchesNoDeviceFails() {
        h.fleet.add("x1", "1.0", Map.of("region", "us"));
        h.start(Harness.strategy("100%", Duration.ZERO, 0, 10));
        List<RolloutAction> actions = h.step();
        assertThat(h.rollout.state()).isEqualTo(RolloutState.FAILED);
        assertThat(h.rollout.stateReason()).isEqualTo("no device matches selector 'region=eu'");
        assertThat(actions).containsExactly(new RolloutAction.ChangeState("r1", RolloutState.RUNNING,
                RolloutState.FAILED, "no device matches selector 'region=eu'"));
    }

    @Test
    void theStepIsDeterministic() {
        h.devices(5, "1.0").start(Harness.strategy("40%,100%", Duration.ZERO, 0, 10));
        Reconciliation a = h.reconciler.step(h.rollout, h.clock, h.fleet, h.health);
        Reconciliation b = h.reconciler.step(h.rollout, h.clock, h.fleet, h.health);
        assertThat(a).isEqualTo(b);
    }
}
