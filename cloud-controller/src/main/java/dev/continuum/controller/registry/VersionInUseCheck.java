package dev.continuum.controller.registry;

import java.util.Optional;

/**
 * Something outside the registry that may hold on to a model version (a rollout, later). Every CDI
 * bean implementing this is asked before a version is deleted; any answer refuses the delete with 409.
 */
public interface VersionInUseCheck {
    /** Why the version cannot be deleted, e.g. "rollout r-42 is rolling it out", or empty. */
    Optional<String> usedBy(String model, String version);
}
