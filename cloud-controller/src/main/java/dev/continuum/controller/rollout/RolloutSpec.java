package dev.continuum.controller.rollout;

import dev.continuum.controller.placement.PlacementPreference;

/**
 * What an operator or CI asks for when creating a rollout.
 *
 * @param model         the model
 * @param version       the version; give exactly one of {@code version} and {@code alias}
 * @param alias         an alias, resolved to its version once, at creation
 * @param selector      device selector, required (e.g. {@code region=eu,tier in (gold,silver)})
 * @param budgetMillis  latency budget, required, &gt; 0
 * @param preference    null: EDGE_FIRST
 * @param strategy      null: {@link Strategy#defaults()}
 */
public record RolloutSpec(String model, String version, String alias, String selector, Double budgetMillis,
                          PlacementPreference preference, Strategy strategy) {
}
