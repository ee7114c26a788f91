package dev.continuum.controller.placement;

import java.time.Instant;

/**
 * What hysteresis remembers per (device, model) between evaluations: the current site and, while a
 * change is building up, the site it would change to, for how many consecutive evaluations and since when.
 * Stored by the caller with each decision and handed back to the next evaluation.
 *
 * @param current       the site the model runs at now
 * @param pending       the other site while a change is building up, else null
 * @param pendingCount  consecutive evaluations that chose {@code pending} (0 when none)
 * @param pendingSince  when the first of them happened (null when none)
 * @param provisional   the current site was chosen before the edge p95 was measured (on an estimate, or
 *                      with none): the first measurement may move it at once, without hysteresis
 */
public record PlacementState(Site current, Site pending, int pendingCount, Instant pendingSince, boolean provisional) {
    public PlacementState(Site current, Site pending, int pendingCount, Instant pendingSince) {
        this(current, pending, pendingCount, pendingSince, false);
    }

    public PlacementState {
        if (current == null) {
            throw new IllegalArgumentException("current site is required");
        }
        if (pending == current) {
            throw new IllegalArgumentException("pending site must differ from the current site " + current);
        }
        boolean none = pending == null;
        if (none != (pendingSince == null) || none != (pendingCount == 0) || pendingCount < 0) {
            throw new IllegalArgumentException("pending, pendingCount and pendingSince go together, got "
                    + pending + ", " + pendingCount + ", " + pendingSince);
        }
    }

    public static PlacementState settled(Site site) {
        return new PlacementState(site, null, 0, null, false);
    }

    /** Settled on {@code site}; {@code provisional} when the edge p95 it was chosen on was not a measurement. */
    public static PlacementState settled(Site site, boolean provisional) {
        return new PlacementState(site, null, 0, null, provisional);
    }
}
