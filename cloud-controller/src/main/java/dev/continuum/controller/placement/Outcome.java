package dev.continuum.controller.placement;

/** How a placement decision stands against the latency budget. */
public enum Outcome {
    /** The chosen site's p95 is within the budget. */
    MEETS_BUDGET,
    /** The chosen site's p95 exceeds the budget: neither site meets it (or hysteresis holds a violating site). */
    VIOLATES_BUDGET,
    /** There is no latency estimate for the chosen site; the reason says what is missing. */
    NO_ESTIMATE,
    /** An operator pinned the site; the budget was not consulted. */
    PINNED
}
