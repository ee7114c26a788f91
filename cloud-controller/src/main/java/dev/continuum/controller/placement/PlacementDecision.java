package dev.continuum.controller.placement;

import java.time.Instant;
import java.util.List;

/**
 * One placement decision for a (device, model version), with everything it was made from, so that
 * "why is this model in the cloud?" has an answer.
 *
 * @param site          where the model runs
 * @param outcome       how {@code site} stands against the budget (or PINNED)
 * @param ruleSite      what the decision rule alone chooses from today's numbers, before hysteresis and pins
 * @param previousSite  the placement before this evaluation; null for the first one
 * @param preference    the rollout's preference the rule applied
 * @param inputs        the numbers the decision rests on
 * @param edge          the edge p95 used
 * @param cloud         the cloud p95 used, with its parts
 * @param assumptions   every assumption made for a missing input, e.g. "no RTT measured yet: assumed 100.0 ms"
 * @param reason        one human sentence, e.g. "edge p95 41.2 ms &gt; budget 30 ms; cloud p95 18.5 ms (rtt 12.0 +
 *                      transfer 1.1 + compute 4.9 + queue 0.5) meets it"
 * @param decidedAt     when
 */
public record PlacementDecision(Site site, Outcome outcome, Site ruleSite, Site previousSite,
                                PlacementPreference preference, PlacementInputs inputs, EdgeEstimate edge,
                                CloudEstimate cloud, List<String> assumptions, String reason, Instant decidedAt) {
    public PlacementDecision {
        assumptions = List.copyOf(assumptions);
    }

    /** Whether this decision moves the model to another site than before. */
    public boolean changed() {
        return previousSite != null && previousSite != site;
    }
}
