package dev.continuum.controller.rollout.persistence;

import dev.continuum.controller.placement.PlacementPreference;
import java.util.Map;

/**
 * What a device had assigned of the model when a rollout first told it to update, so a rollback restores
 * exactly that: the version and its artifact, placement and config, and — when placement had decided
 * it — the budget and preference it was placed with. {@code version} null: the device had no version.
 */
public record PreviousAssignment(String version, String sha256, Long sizeBytes, String placement,
                                 Map<String, String> config, Double budgetMillis, PlacementPreference preference) {
    public static final PreviousAssignment NONE = new PreviousAssignment(null, null, null, null, Map.of(), null, null);

    public PreviousAssignment {
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
