package dev.continuum.controller.rollout.service;

import dev.continuum.controller.auth.Secrets;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.registry.ModelEntity;
import dev.continuum.controller.rollout.Rollout;
import dev.continuum.controller.rollout.RolloutCommands;
import dev.continuum.controller.rollout.RolloutSpec;
import dev.continuum.controller.rollout.RolloutState;
import dev.continuum.controller.rollout.persistence.RolloutStore;
import dev.continuum.controller.rollout.persistence.StoredRollout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import org.hibernate.Session;

/**
 * Creating rollouts and the operator commands on them, each in one transaction. Creations of one model are
 * serialised by a row lock on the model, so two overlapping rollouts cannot both pass the conflict check.
 */
@ApplicationScoped
public class RolloutService {
    @Inject
    Session db;

    @Inject
    RolloutStore store;

    @Inject
    RegistryModelCatalog catalog;

    /** An operator command on a rollout. */
    @FunctionalInterface
    interface Command {
        Rollout apply(Rollout r, String by, Instant now);
    }

    @Transactional
    public StoredRollout create(RolloutSpec spec, String by) {
        if (spec != null && spec.model() != null) {
            lockModel(Names.id("model", spec.model()));
        }
        Rollout r = new RolloutCommands(catalog).create(Secrets.newId("ro-"), spec, by,
                spec == null || spec.model() == null ? java.util.List.of() : store.active(spec.model()), Times.now());
        store.insert(r);
        return get(r.id());
    }

    @Transactional
    public StoredRollout get(String id) {
        return store.get(id).orElseThrow(() -> new NotFoundException("rollout", id, "id"));
    }

    @Transactional
    public Page<StoredRollout> list(String model, RolloutState state, PageRequest page) {
        return store.list(model, state, page);
    }

    @Transactional
    public StoredRollout pause(String id, String by) {
        return command(id, by, RolloutCommands::pause);
    }

    @Transactional
    public StoredRollout resume(String id, String by) {
        return command(id, by, RolloutCommands::resume);
    }

    @Transactional
    public StoredRollout abort(String id, String by) {
        return command(id, by, RolloutCommands::abort);
    }

    @Transactional
    public StoredRollout rollBack(String id, String by) {
        return command(id, by, RolloutCommands::rollBack);
    }

    private StoredRollout command(String id, String by, Command c) {
        StoredRollout s = store.lock(id).orElseThrow(() -> new NotFoundException("rollout", id, "id"));
        Rollout next = c.apply(s.rollout(), by, Times.now());
        store.save(next, s.waveStarts(), Map.of(), false);
        return get(id);
    }

    private void lockModel(String model) {
        ModelEntity m = db.createSelectionQuery("from ModelEntity where name = :n", ModelEntity.class)
                .setParameter("n", model).setLockMode(LockModeType.PESSIMISTIC_WRITE).uniqueResult();
        if (m == null) {
            throw new NotFoundException("model", model, "model");
        }
    }
}
