package dev.continuum.controller.rollout.persistence;

import dev.continuum.controller.rollout.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rollout as stored: the core value, when each wave started (index = wave; null = not started or
 * skipped), what each touched device had before (by device id), and bookkeeping.
 *
 * @param previous   only filled when read with members
 * @param settled    a ROLLED_BACK rollout whose reverts are all applied
 */
public record StoredRollout(Rollout rollout, List<Instant> waveStarts, Map<String, PreviousAssignment> previous,
                            Instant updatedAt, boolean settled) {
    public StoredRollout {
        waveStarts = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(waveStarts));
        previous = Map.copyOf(previous);
    }
}
