package dev.continuum.controller.rollout;

/**
 * What a reconciler step asks the caller to do. Actions are idempotent in effect: a step re-emits what it
 * still sees undone (an assignment the fleet does not show, a revert not yet applied), so a caller that
 * crashes half-way simply runs the next step.
 */
public sealed interface RolloutAction {
    String rolloutId();

    /**
     * Set the device's desired version of {@code model} to {@code version}, placed by the rollout's budget and
     * preference.
     */
    record AssignVersion(String rolloutId, String deviceId, String model, String version) implements RolloutAction {
    }

    /**
     * Put the device back on the version it had before the rollout: set its desired version of {@code model}
     * from {@code fromVersion} to {@code toVersion}, or remove the model from it when {@code toVersion} is null.
     */
    record RevertVersion(String rolloutId, String deviceId, String model, String fromVersion, String toVersion)
            implements RolloutAction {
    }

    /** The rollout changed state (for events, logs and notifications; the new state is in the returned rollout). */
    record ChangeState(String rolloutId, RolloutState from, RolloutState to, String reason) implements RolloutAction {
    }
}
