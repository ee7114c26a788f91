package dev.continuum.controller.rollout.service;

import dev.continuum.controller.registry.VersionInUseCheck;
import dev.continuum.controller.rollout.persistence.RolloutStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Refuses to delete a version a RUNNING or PAUSED rollout rolls out, or would put devices back on if it were
 * rolled back.
 */
@ApplicationScoped
public class RolloutVersionInUse implements VersionInUseCheck {
    @Inject
    RolloutStore store;

    @Override
    public Optional<String> usedBy(String model, String version) {
        return store.usedBy(model, version);
    }
}
