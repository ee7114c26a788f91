package dev.continuum.controller.rollout.service;

import dev.continuum.controller.agentlink.DesiredStateNotifier;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.placement.service.PlacementService;
import dev.continuum.controller.placement.service.PlacementSettings;
import dev.continuum.controller.rollout.persistence.RolloutStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The reconciler: every {@code continuum.rollout.reconcile-interval}, on the replica that leads
 * ({@link ReconcileLeader}), one step of every RUNNING rollout (and of each ROLLED_BACK one until its
 * devices are back), each in its own transaction; then, every {@code continuum.placement.evaluate-interval},
 * one step of each COMPLETED rollout no later one supersedes (devices that appeared since it completed) and
 * a fresh placement decision for every placed (device, model). Devices whose desired state changed are told
 * after each commit, so connected agents get it at once. One thread; a failure is logged and retried on the
 * next tick.
 */
@ApplicationScoped
public class RolloutLoop {
    private static final Logger LOG = Logger.getLogger(RolloutLoop.class);

    @Inject
    RolloutSettings settings;

    @Inject
    PlacementSettings placementSettings;

    @Inject
    ReconcileLeader leader;

    @Inject
    RolloutStore store;

    @Inject
    RolloutStepRunner steps;

    @Inject
    PlacementService placement;

    @Inject
    DesiredStateNotifier notifier;

    private ScheduledExecutorService executor;
    private Instant nextPlacement = Instant.MIN;

    void start(@Observes StartupEvent e) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollout-reconciler");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, settings.reconcileInterval().toMillis());
        executor.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        leader.release();
    }

    /** Runs a step soon (after a rollout was created or commanded), besides the regular ticks. */
    public void wake() {
        if (executor != null && !executor.isShutdown()) {
            executor.execute(this::tick);
        }
    }

    private void tick() {
        try {
            if (!leader.lead()) {
                return;
            }
            Instant now = Times.now();
            List<String> ids = QuarkusTransaction.requiringNew().call(store::reconcilable);
            for (String id : ids) {
                try {
                    notifier.changed(steps.step(id, now));
                } catch (RuntimeException e) {
                    LOG.warnf(e, "rollout %s: reconciler step failed; retrying on the next tick", id);
                }
            }
            if (!now.isBefore(nextPlacement)) {
                nextPlacement = now.plus(placementSettings.evaluateInterval());
                // completed rollouts only take in devices that appeared since: not worth every tick
                for (String id : QuarkusTransaction.requiringNew().call(store::completedCurrent)) {
                    try {
                        notifier.changed(steps.step(id, now));
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "rollout %s: reconciler step failed; retrying on the next tick", id);
                    }
                }
                Set<String> changed = placement.reevaluateAll(now);
                notifier.changed(changed);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "reconciler tick failed");
        }
    }
}
