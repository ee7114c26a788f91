package dev.continuum.controller.rollout;

import dev.continuum.controller.common.ConflictException;

/** Another active rollout of the same model may reach the same devices (409, field {@code selector}). */
public class RolloutConflictException extends ConflictException {
    private final String conflictingRolloutId;

    public RolloutConflictException(Rollout active, String selector) {
        super("selector", "rollout '" + active.id() + "' (" + active.model() + " " + active.version() + ", "
                + active.state() + ") already targets selector '" + active.selector() + "', which may match the same "
                + "devices as '" + selector + "'; complete, abort or roll it back first, or use selectors that "
                + "contradict on some label (e.g. region=eu vs region=us)");
        this.conflictingRolloutId = active.id();
        with("rolloutId", active.id()).with("conflictingSelector", active.selector());
    }

    public String conflictingRolloutId() {
        return conflictingRolloutId;
    }
}
