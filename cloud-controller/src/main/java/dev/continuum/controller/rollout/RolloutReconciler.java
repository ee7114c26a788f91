package dev.continuum.controller.rollout;

import dev.continuum.controller.rollout.Rollout.Member;
import dev.continuum.controller.rollout.Rollout.Progress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rollout reconciler's step function: given a rollout, a clock and views of the fleet and its health,
 * returns the rollout to store and the actions to apply. Pure and deterministic: no I/O besides the two
 * views, no state of its own, the same inputs give the same result. Run it periodically for every
 * RUNNING and ROLLED_BACK rollout, and for each COMPLETED one no later rollout supersedes (other states return
 * the rollout unchanged and no actions).
 *
 * <p>RUNNING, each step:
 * <ol>
 *   <li>No device matches and none was planned → FAILED.</li>
 *   <li>Health gates over the devices touched so far, on telemetry since the wave started: failed installs or
 *       (at {@code minRequests}) the error rate over its gate → ROLLED_BACK at once, during the bake, reverting
 *       exactly the touched devices to the version each had before.</li>
 *   <li>The current wave is topped up to its share of the devices matching now (late-enrolled devices join),
 *       in device-id order; planned devices are told to update — offline ones at once (they catch up when
 *       they return), online ones while fewer than {@code maxInFlight} are updating. A touched device whose
 *       desired version drifted is told again.</li>
 *   <li>An online device updating for longer than {@code progressDeadline} → FAILED.</li>
 *   <li>The wave is complete when every online device planned so far reports the version serving (or failed,
 *       within {@code maxFailedDevices}); offline devices do not hold it. After {@code bakeTime} of complete
 *       the p95 gate is judged too (before, the first requests after an install would decide it): over it →
 *       ROLLED_BACK as above; all gates passing (at least {@code minRequests}) → the next wave that adds devices
 *       starts; when no wave left adds any → COMPLETED.</li>
 * </ol>
 */
public final class RolloutReconciler {
    public Reconciliation step(Rollout rollout, Clock clock, FleetView fleet, HealthView health) {
        switch (rollout.state()) {
            case RUNNING:
                return new RunningStep(rollout, clock.instant(), fleet, health).run();
            case ROLLED_BACK:
                return rolledBack(rollout, fleet);
            case COMPLETED:
                return completed(rollout, fleet, clock.instant());
            default:
                return new Reconciliation(rollout, List.of());
        }
    }

    /**
     * A COMPLETED rollout whose last wave was 100% keeps its promise to the selector: a device that matches it
     * now, was never planned by it (enrolled, or relabelled to match, after it completed) and has no version of
     * the model assigned is told to run the version, as a member of the last wave (a rollback reverts it too).
     * Devices that were planned and later lost the model (an operator removed it) are left alone. The caller
     * steps only the COMPLETED rollouts no later rollout of the model supersedes.
     */
    private static Reconciliation completed(Rollout r, FleetView fleet, Instant now) {
        List<Strategy.Wave> waves = r.strategy().waves();
        Strategy.Wave last = waves.get(waves.size() - 1);
        if (last.kind() != Strategy.Wave.Kind.PERCENT || last.amount() < 100) {
            return new Reconciliation(r, List.of());
        }
        Set<String> planned = r.progress().members().stream().map(Member::deviceId).collect(Collectors.toSet());
        List<Member> members = new ArrayList<>(r.progress().members());
        List<RolloutAction> actions = new ArrayList<>();
        List<String> joined = new ArrayList<>();
        for (FleetDevice d : fleet.matching(r.parsedSelector(), r.model())) {
            if (planned.contains(d.id()) || d.assignedVersion() != null) {
                continue;
            }
            members.add(Member.planned(d.id(), waves.size() - 1).assign(null, now));
            actions.add(new RolloutAction.AssignVersion(r.id(), d.id(), r.model(), r.version()));
            joined.add(d.id());
        }
        if (joined.isEmpty()) {
            return new Reconciliation(r, List.of());
        }
        Progress p = r.progress();
        Progress next = new Progress(p.wave(), p.waveStartedAt(), p.waveServingSince(), List.copyOf(members), p.waves());
        String message = joined.size() + " device(s) matching '" + r.selector() + "' after the rollout completed told "
                + "to run " + r.version() + ": " + String.join(", ", joined.stream().limit(10).toList())
                + (joined.size() > 10 ? ", ..." : "");
        return new Reconciliation(r.withProgress(next, message), actions);
    }

    /** Re-emits the reverts a ROLLED_BACK rollout still sees undone; none once every touched device is back. */
    private static Reconciliation rolledBack(Rollout r, FleetView fleet) {
        List<Member> touched = r.touched();
        if (touched.isEmpty()) {
            return new Reconciliation(r, List.of());
        }
        Map<String, FleetDevice> devices = new HashMap<>();
        fleet.find(touched.stream().map(Member::deviceId).toList(), r.model()).forEach(d -> devices.put(d.id(), d));
        List<RolloutAction> reverts = reverts(r, touched, devices);
        String message = reverts.isEmpty() ? "every touched device is back on its previous version"
                : "reverting " + reverts.size() + " device(s) to their previous versions";
        return new Reconciliation(r.withProgress(r.progress(), message), reverts);
    }

    /** One revert per touched device that still has the rollout's version and had another one (or none) before. */
    static List<RolloutAction> reverts(Rollout r, Collection<Member> members, Map<String, FleetDevice> devices) {
        List<RolloutAction> out = new ArrayList<>();
        members.stream().filter(Member::assigned).sorted(Comparator.comparing(Member::deviceId)).forEach(m -> {
            FleetDevice d = devices.get(m.deviceId());
            if (d != null && !r.version().equals(m.previousVersion()) && r.version().equals(d.assignedVersion())) {
                out.add(new RolloutAction.RevertVersion(r.id(), m.deviceId(), r.model(), r.version(),
                        m.previousVersion()));
            }
        });
        return out;
    }
}
