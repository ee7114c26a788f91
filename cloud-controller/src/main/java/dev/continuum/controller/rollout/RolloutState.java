package dev.continuum.controller.rollout;

/**
 * Where a rollout stands. RUNNING and PAUSED are <em>active</em> (at most one active rollout per model and
 * overlapping selector); the others are final.
 */
public enum RolloutState {
    /** The reconciler assigns devices wave by wave. */
    RUNNING,
    /** An operator paused it: the reconciler changes nothing until it is resumed. */
    PAUSED,
    /** Every wave passed its gates. */
    COMPLETED,
    /** A health gate failed, or an operator asked for it: every touched device is put back on its previous version. */
    ROLLED_BACK,
    /**
     * It could not be carried out (no device matches, devices never finished updating); devices are left as
     * they are.
     */
    FAILED,
    /** An operator stopped it; devices are left as they are. */
    ABORTED;

    public boolean active() {
        return this == RUNNING || this == PAUSED;
    }
}
