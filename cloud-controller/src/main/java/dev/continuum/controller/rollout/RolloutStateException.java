package dev.continuum.controller.rollout;

import dev.continuum.controller.common.ConflictException;

/**
 * An operator command the rollout's state does not allow, e.g. resuming a COMPLETED rollout (409, field
 * {@code state}).
 */
public class RolloutStateException extends ConflictException {
    public RolloutStateException(Rollout r, String command, String allowed) {
        super("state", "cannot " + command + " rollout '" + r.id() + "': it is " + r.state() + "; only " + allowed
                + " rollouts can be " + past(command));
        with("rolloutId", r.id()).with("currentState", r.state().name());
    }

    private static String past(String command) {
        return switch (command) {
            case "pause" -> "paused";
            case "resume" -> "resumed";
            case "abort" -> "aborted";
            case "roll back" -> "rolled back";
            default -> command + "ed";
        };
    }
}
