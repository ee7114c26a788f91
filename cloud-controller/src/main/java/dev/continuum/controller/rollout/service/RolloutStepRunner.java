package dev.continuum.controller.rollout.service;

import dev.continuum.controller.agentlink.Assignment.PlacementKind;
import dev.continuum.controller.agentlink.AssignmentService;
import dev.continuum.controller.agentlink.AssignmentService.Current;
import dev.continuum.controller.placement.PlacementDecision;
import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.placement.persistence.PlacementEntity;
import dev.continuum.controller.placement.persistence.PlacementStore;
import dev.continuum.controller.placement.service.PlacementService;
import dev.continuum.controller.registry.RegistryService;
import dev.continuum.controller.registry.Views.VersionView;
import dev.continuum.controller.rollout.Reconciliation;
import dev.continuum.controller.rollout.Rollout;
import dev.continuum.controller.rollout.RolloutAction;
import dev.continuum.controller.rollout.RolloutAction.AssignVersion;
import dev.continuum.controller.rollout.RolloutAction.ChangeState;
import dev.continuum.controller.rollout.RolloutAction.RevertVersion;
import dev.continuum.controller.rollout.RolloutReconciler;
import dev.continuum.controller.rollout.RolloutState;
import dev.continuum.controller.rollout.persistence.PreviousAssignment;
import dev.continuum.controller.rollout.persistence.RolloutStore;
import dev.continuum.controller.rollout.persistence.StoredRollout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * One reconciler step of one rollout in one transaction: lock the rollout, run {@link RolloutReconciler#step},
 * apply its actions to the devices' assignments (placing each assigned device with the rollout's budget and
 * preference), store the result. Returns the devices whose desired state changed, for the notifier.
 */
@ApplicationScoped
public class RolloutStepRunner {
    private static final Logger LOG = Logger.getLogger(RolloutStepRunner.class);

    private final RolloutReconciler reconciler = new RolloutReconciler();

    @Inject
    RolloutStore store;

    @Inject
    DatabaseFleetView fleet;

    @Inject
    TelemetryHealthView health;

    @Inject
    AssignmentService assignments;

    @Inject
    RegistryService registry;

    @Inject
    PlacementService placement;

    @Inject
    PlacementStore placements;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Set<String> step(String id, Instant now) {
        StoredRollout s = store.lock(id).orElse(null);
        if (s == null) {
            return Set.of();
        }
        Rollout r = s.rollout();
        if (r.state() != RolloutState.RUNNING && r.state() != RolloutState.COMPLETED
                && !(r.state() == RolloutState.ROLLED_BACK && !s.settled())) {
            return Set.of();
        }
        Reconciliation rec = reconciler.step(r, Clock.fixed(now, ZoneOffset.UTC), fleet, health);
        Rollout next = rec.rollout();
        Set<String> changed = new TreeSet<>();
        Map<String, PreviousAssignment> captured = new HashMap<>();
        Map<String, VersionView> versions = new HashMap<>();
        boolean reverted = false;
        for (RolloutAction a : rec.actions()) {
            if (a instanceof AssignVersion av) {
                assign(next, av, s, captured, versions, now);
                changed.add(av.deviceId());
            } else if (a instanceof RevertVersion rv) {
                revert(rv, s, now);
                changed.add(rv.deviceId());
                reverted = true;
            } else if (a instanceof ChangeState cs) {
                LOG.infof("rollout %s (%s %s): %s -> %s: %s", r.id(), r.model(), r.version(), cs.from(), cs.to(),
                        cs.reason());
            }
        }
        boolean settled = next.state() == RolloutState.ROLLED_BACK && !reverted;
        store.save(next, waveStarts(s.waveStarts(), r, next), captured, settled);
        return changed;
    }

    private void assign(Rollout r, AssignVersion a, StoredRollout s, Map<String, PreviousAssignment> captured,
                        Map<String, VersionView> versions, Instant now) {
        String device = a.deviceId();
        VersionView v = versions.computeIfAbsent(a.version(), ver -> registry.getVersion(a.model(), ver));
        Current current = assignments.current(device, a.model()).orElse(null);
        if (!s.previous().containsKey(device) && !captured.containsKey(device)) {
            captured.put(device, previous(device, a.model(), current));
        }
        PlacementDecision d = placement.place(device, a.model(), a.version(), r.budgetMillis(), r.preference(), now);
        assignments.put(device, a.model(), new Current(a.version(), v.sha256(), v.sizeBytes(),
                PlacementService.kind(d.site()), current == null ? Map.of() : current.config()), "rollout " + r.id());
    }

    /** What the device has now, with the budget and preference placement used for it (when placement decided it). */
    private PreviousAssignment previous(String device, String model, Current current) {
        if (current == null) {
            return PreviousAssignment.NONE;
        }
        PlacementEntity placed = placements.current(device, model)
                .filter(p -> p.version.equals(current.version())).orElse(null);
        return new PreviousAssignment(current.version(), current.sha256(), current.sizeBytes(),
                current.placement().name(), current.config(), placed == null ? null : placed.budgetMillis,
                placed == null ? null : PlacementPreference.valueOf(placed.preference));
    }

    /** Puts the device back on exactly what it had: artifact, placement and config, or no version at all. */
    private void revert(RevertVersion a, StoredRollout s, Instant now) {
        String device = a.deviceId();
        String model = a.model();
        String rollout = "rollout " + a.rolloutId() + " (rollback)";
        if (a.toVersion() == null) {
            assignments.remove(device, model);
            placements.forget(device, model);
            return;
        }
        PreviousAssignment p = s.previous().get(device);
        Current to;
        if (p != null && p.sha256() != null && a.toVersion().equals(p.version())) {
            to = new Current(p.version(), p.sha256(), p.sizeBytes(), PlacementKind.valueOf(p.placement()), p.config());
        } else { // captured by an older controller or lost: the registry's artifact, today's placement and config
            Current had = assignments.current(device, model).orElse(null);
            VersionView v = registry.getVersion(model, a.toVersion());
            to = new Current(v.version(), v.sha256(), v.sizeBytes(),
                    had == null ? PlacementKind.EDGE : had.placement(), had == null ? Map.of() : had.config());
        }
        assignments.put(device, model, to, rollout);
        if (p != null && p.budgetMillis() != null) {
            PlacementDecision d = placement.place(device, model, a.toVersion(), p.budgetMillis(),
                    p.preference() == null ? PlacementPreference.EDGE_FIRST : p.preference(), now);
            assignments.place(device, model, a.toVersion(), PlacementService.kind(d.site()));
        } else {
            placements.forget(device, model);
        }
    }

    /** Records when a wave started; waves jumped over (they would add no device) keep no start. */
    private static List<Instant> waveStarts(List<Instant> before, Rollout from, Rollout to) {
        List<Instant> starts = new ArrayList<>(before);
        int wave = to.progress().wave();
        while (starts.size() <= wave) {
            starts.add(null);
        }
        if (wave != from.progress().wave() || starts.get(wave) == null) {
            starts.set(wave, to.progress().waveStartedAt());
        }
        return starts;
    }
}
