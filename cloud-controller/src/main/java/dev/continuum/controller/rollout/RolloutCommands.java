package dev.continuum.controller.rollout;

import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.placement.PlacementPreference;
import java.time.Instant;
import java.util.Collection;

/**
 * Creating a rollout and the operator commands on it: pause, resume, abort, roll back. Each returns the
 * new rollout value for the caller to store; the next {@link RolloutReconciler} step acts on it (a rollback
 * is carried out by the step, which emits the reverts). Illegal transitions throw {@link RolloutStateException}.
 */
public final class RolloutCommands {
    private final ModelCatalog catalog;

    public RolloutCommands(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Validates the spec, resolves an alias to its version and checks for conflicts.
     *
     * @param existing  rollouts of the same model (others are ignored); the caller must hold a lock per model
     *                  so two creations cannot both pass the check
     * @throws InvalidInputException naming the bad field
     * @throws NotFoundException for an unknown version or alias
     * @throws RolloutConflictException when an active rollout of the model has an overlapping selector
     */
    public Rollout create(String id, RolloutSpec spec, String createdBy, Collection<Rollout> existing, Instant now) {
        if (spec == null) {
            throw new InvalidInputException("body", "expected {\"model\", \"version\" or \"alias\", \"selector\", "
                    + "\"budgetMillis\"}");
        }
        Names.id("id", id);
        String model = Names.id("model", spec.model());
        if ((spec.version() == null) == (spec.alias() == null)) {
            throw new InvalidInputException("version", "give exactly one of 'version' and 'alias'");
        }
        if (spec.selector() == null || spec.selector().isBlank()) {
            throw new InvalidInputException("selector", "selector is required, e.g. 'region=eu,tier in (gold,silver)'; "
                    + "to target every device say so with an existence test such as '!decommissioned'");
        }
        Selector selector = Selector.parse(spec.selector());
        Double budget = spec.budgetMillis();
        if (budget == null || !(budget > 0) || budget.isInfinite()) {
            throw new InvalidInputException("budgetMillis", "budgetMillis must be a positive number of milliseconds, "
                    + "got " + budget);
        }
        String version;
        if (spec.alias() != null) {
            String alias = Names.id("alias", spec.alias());
            version = catalog.aliasTarget(model, alias)
                    .orElseThrow(() -> new NotFoundException("alias", model + "/" + alias, "alias"));
        } else {
            version = Names.id("version", spec.version());
            if (!catalog.versionExists(model, version)) {
                throw new NotFoundException("version", model + "/" + version, "version");
            }
        }
        for (Rollout other : existing) {
            if (other.model().equals(model) && other.state().active()
                    && SelectorOverlap.mayOverlap(other.parsedSelector(), selector)) {
                throw new RolloutConflictException(other, spec.selector());
            }
        }
        PlacementPreference preference = spec.preference() == null ? PlacementPreference.EDGE_FIRST : spec.preference();
        Strategy strategy = spec.strategy() == null ? Strategy.defaults() : spec.strategy();
        String reason = "created by " + createdBy;
        return new Rollout(id, model, version, spec.alias(), spec.selector(), budget, preference, strategy, createdBy,
                now, RolloutState.RUNNING, reason, now, reason, Rollout.Progress.start(now));
    }

    /** RUNNING → PAUSED: the reconciler changes nothing until resumed. */
    public static Rollout pause(Rollout r, String by, Instant now) {
        require(r, "pause", "RUNNING", r.state() == RolloutState.RUNNING);
        return r.withState(RolloutState.PAUSED, "paused by " + by, now);
    }

    /** PAUSED → RUNNING. */
    public static Rollout resume(Rollout r, String by, Instant now) {
        require(r, "resume", "PAUSED", r.state() == RolloutState.PAUSED);
        return r.withState(RolloutState.RUNNING, "resumed by " + by, now);
    }

    /** RUNNING or PAUSED → ABORTED: stops; devices keep what they have. */
    public static Rollout abort(Rollout r, String by, Instant now) {
        require(r, "abort", "RUNNING or PAUSED", r.state().active());
        return r.withState(RolloutState.ABORTED, "aborted by " + by, now);
    }

    /**
     * Any state but ROLLED_BACK → ROLLED_BACK: the next step puts every touched device that still has the
     * rollout's version back on the version it had before.
     */
    public static Rollout rollBack(Rollout r, String by, Instant now) {
        require(r, "roll back", "RUNNING, PAUSED, COMPLETED, FAILED or ABORTED", r.state() != RolloutState.ROLLED_BACK);
        return r.withState(RolloutState.ROLLED_BACK, "rolled back by " + by, now);
    }

    private static void require(Rollout r, String command, String allowed, boolean ok) {
        if (!ok) {
            throw new RolloutStateException(r, command, allowed);
        }
    }
}
