package dev.continuum.controller.rollout;

import java.util.Optional;

/** Port: the registry facts a rollout needs at creation. */
public interface ModelCatalog {
    /** The version the alias points at now; empty when the model or the alias does not exist. */
    Optional<String> aliasTarget(String model, String alias);

    boolean versionExists(String model, String version);
}
