package dev.continuum.controller.rollout;

import java.util.List;

/** The result of one reconciler step: the rollout to store and the actions to apply, in order. */
public record Reconciliation(Rollout rollout, List<RolloutAction> actions) {
    public Reconciliation {
        actions = List.copyOf(actions);
    }
}
