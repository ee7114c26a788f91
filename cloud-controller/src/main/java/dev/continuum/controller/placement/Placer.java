package dev.continuum.controller.placement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides where one (device, model version) runs: a pure function of the inputs, the rollout's
 * preference, an operator pin and the hysteresis state of the previous evaluation.
 * <ol>
 *   <li>An operator pin wins over everything ("pinned by operator").</li>
 *   <li>Without a current placement the plain rule decides (see {@link DecisionRule}); so does the first
 *       evaluation with a measured edge p95 after the current site was chosen on an estimate: the estimate
 *       was a guess, not a signal to hold against noise.</li>
 *   <li>Otherwise a change away from the current site happens only when the rule, run with the
 *       hysteresis band in favour of the current site, chooses the other site on
 *       {@link PlacementConfig#sustainEvaluations()} consecutive evaluations spanning at least
 *       {@link PlacementConfig#sustainDuration()}. One evaluation that does not choose it resets the count.</li>
 * </ol>
 * Thread-safe and stateless; the caller stores {@link Evaluation#next()} and hands it back next time.
 */
public final class Placer {
    private final PlacementConfig config;
    private final Estimator estimator;

    public Placer(PlacementConfig config) {
        this.config = config;
        this.estimator = new Estimator(config);
    }

    public PlacementConfig config() {
        return config;
    }

    /** A decision and the hysteresis state to hand to the next evaluation of the same (device, model). */
    public record Evaluation(PlacementDecision decision, PlacementState next) {
    }

    /**
     * @param inputs      the numbers
     * @param preference  the rollout's preference
     * @param pin         the site an operator pinned, or null
     * @param state       the previous evaluation's {@link Evaluation#next()}, or null for the first one
     * @param now         the evaluation time (hysteresis windows are measured with it)
     */
    public Evaluation evaluate(PlacementInputs inputs, PlacementPreference preference, Site pin, PlacementState state,
                               Instant now) {
        if (inputs == null || preference == null || now == null) {
            throw new IllegalArgumentException("inputs, preference and now are required");
        }
        List<String> edgeNotes = new ArrayList<>();
        List<String> cloudNotes = new ArrayList<>();
        EdgeEstimate edge = estimator.edge(inputs, edgeNotes);
        CloudEstimate cloud = estimator.cloud(inputs, cloudNotes);
        DecisionRule rule = new DecisionRule(inputs.budgetMillis(), edge, cloud, preference);
        Site ruleSite = rule.site();
        String ruleReason = withNotes(rule, rule.reason(), edgeNotes, cloudNotes);
        Site previous = state == null ? null : state.current();

        boolean provisional = edge.basis() != EdgeEstimate.Basis.MEASURED;
        Choice choice;
        if (pin != null) {
            choice = new Choice(pin, "pinned by operator to " + pin.label() + "; the rule alone would choose "
                    + ruleSite.label() + ": " + ruleReason, PlacementState.settled(pin, provisional));
        } else if (state == null) {
            choice = new Choice(ruleSite, ruleReason, PlacementState.settled(ruleSite, provisional));
        } else if (state.provisional() && !provisional) {
            String reason = ruleSite == previous ? ruleReason : ruleReason + "; changed from " + previous.label()
                    + " at once: the edge p95 is measured now, the earlier placement rested on an estimate";
            choice = new Choice(ruleSite, reason, PlacementState.settled(ruleSite, false));
        } else {
            choice = withHysteresis(inputs, rule, ruleSite, ruleReason, state, now);
        }
        Site site = choice.site();
        Outcome outcome = pin != null ? Outcome.PINNED
                : rule.p95(site) == null ? Outcome.NO_ESTIMATE
                : rule.meets(site) ? Outcome.MEETS_BUDGET : Outcome.VIOLATES_BUDGET;
        List<String> assumptions = new ArrayList<>(edgeNotes);
        assumptions.addAll(cloudNotes);
        PlacementDecision decision = new PlacementDecision(site, outcome, ruleSite, previous, preference, inputs, edge,
                cloud, assumptions, choice.reason(), now);
        return new Evaluation(decision, choice.next());
    }

    private record Choice(Site site, String reason, PlacementState next) {
    }

    private Choice withHysteresis(PlacementInputs inputs, DecisionRule rule, Site ruleSite, String ruleReason,
                                  PlacementState state, Instant now) {
        Site incumbent = state.current();
        Site banded = rule.site(incumbent, config.hysteresisMargin());
        boolean provisional = state.provisional();
        if (banded == incumbent) {
            String reason = ruleSite == incumbent ? ruleReason : ruleReason + "; " + heldByMargin(inputs, incumbent);
            return new Choice(incumbent, reason, PlacementState.settled(incumbent, provisional));
        }
        boolean continuing = state.pending() == banded;
        int count = continuing ? state.pendingCount() + 1 : 1;
        Instant since = continuing ? state.pendingSince() : now;
        String seconds = Fmt.num(Duration.between(since, now).toMillis() / 1000.0) + " s";
        boolean longEnough = Duration.between(since, now).compareTo(config.sustainDuration()) >= 0;
        if (count >= config.sustainEvaluations() && longEnough) {
            return new Choice(banded, ruleReason + "; changed from " + incumbent.label() + " after the change held for "
                    + count + " evaluations over " + seconds, PlacementState.settled(banded, provisional));
        }
        return new Choice(incumbent, ruleReason + "; staying on " + incumbent.label() + " until the change to "
                + banded.label() + " holds (" + count + " of " + config.sustainEvaluations() + " evaluations, "
                + seconds + " of " + Fmt.num(config.sustainDuration().toMillis() / 1000.0) + " s)",
                new PlacementState(incumbent, banded, count, since, provisional));
    }

    private String heldByMargin(PlacementInputs inputs, Site incumbent) {
        double margin = config.hysteresisMargin();
        return "staying on " + incumbent.label() + ": the change to " + incumbent.other().label()
                + " does not win by the " + Fmt.percent(margin) + " hysteresis margin (" + incumbent.label()
                + " counts as meeting the budget up to " + Fmt.one(inputs.budgetMillis() * (1 + margin)) + " ms, "
                + incumbent.other().label() + " only up to " + Fmt.one(inputs.budgetMillis() * (1 - margin))
                + " ms, and when neither does it must be " + Fmt.percent(margin) + " faster)";
    }

    /**
     * Appends the assumptions behind the sites the rule consulted: the preferred one always, the other
     * unless the preferred one met the budget.
     */
    private static String withNotes(DecisionRule rule, String reason, List<String> edgeNotes, List<String> cloudNotes) {
        Site first = rule.preference().first();
        List<String> notes = new ArrayList<>(first == Site.EDGE ? edgeNotes : cloudNotes);
        if (!rule.meets(first)) {
            notes.addAll(first == Site.EDGE ? cloudNotes : edgeNotes);
        }
        return notes.isEmpty() ? reason : reason + "; " + String.join("; ", notes);
    }
}
