package dev.continuum.controller.placement;

/**
 * The placement rule: the preferred site if it meets the budget, else the other if that does, else the
 * faster one (flagged as violating). With an incumbent, the same rule runs with a hysteresis band: the
 * incumbent counts as meeting the budget up to {@code budget × (1 + margin)}, the challenger only up to
 * {@code budget × (1 - margin)}, and when neither meets it the challenger must be faster by the margin.
 */
final class DecisionRule {
    private final double budgetMillis;
    private final EdgeEstimate edge;
    private final CloudEstimate cloud;
    private final PlacementPreference preference;

    DecisionRule(double budgetMillis, EdgeEstimate edge, CloudEstimate cloud, PlacementPreference preference) {
        this.budgetMillis = budgetMillis;
        this.edge = edge;
        this.cloud = cloud;
        this.preference = preference;
    }

    PlacementPreference preference() {
        return preference;
    }

    Double p95(Site site) {
        return site == Site.EDGE ? edge.p95Millis() : cloud.p95Millis();
    }

    boolean meets(Site site) {
        Double p = p95(site);
        return p != null && p <= budgetMillis;
    }

    /** The plain rule, without hysteresis. */
    Site site() {
        return site(null, 0);
    }

    /** The rule with a band of {@code margin} in favour of {@code incumbent} (null: no band). */
    Site site(Site incumbent, double margin) {
        Site first = preference.first();
        Site second = preference.second();
        if (meets(first, incumbent, margin)) {
            return first;
        }
        if (meets(second, incumbent, margin)) {
            return second;
        }
        Double pf = p95(first);
        Double ps = p95(second);
        if (pf == null && ps == null) {
            return incumbent != null ? incumbent : first;
        }
        if (pf == null || ps == null) {
            return pf == null ? second : first;
        }
        if (incumbent == null) {
            return ps < pf ? second : first;
        }
        Site challenger = incumbent.other();
        return p95(challenger) <= p95(incumbent) * (1 - margin) ? challenger : incumbent;
    }

    private boolean meets(Site site, Site incumbent, double margin) {
        Double p = p95(site);
        if (p == null) {
            return false;
        }
        double factor = incumbent == null ? 1 : site == incumbent ? 1 + margin : 1 - margin;
        return p <= budgetMillis * factor;
    }

    /** The human sentence for the plain rule's choice. */
    String reason() {
        Site first = preference.first();
        Site second = preference.second();
        String budget = "budget " + Fmt.num(budgetMillis) + " ms";
        String tag = preference == PlacementPreference.CLOUD_FIRST ? " (cloud-first)" : "";
        if (meets(first)) {
            return describe(first) + " meets " + budget + tag;
        }
        String firstPart = p95(first) == null ? describe(first) : describe(first) + " > " + budget;
        if (meets(second)) {
            return firstPart + tag + "; " + describe(second) + (p95(first) == null ? " meets " + budget : " meets it");
        }
        Double pf = p95(first);
        Double ps = p95(second);
        if (pf == null && ps == null) {
            return "edge and cloud p95 unknown: placed on " + first.label() + " (the preferred site) until "
                    + "measurements arrive";
        }
        String secondPart = ps == null ? describe(second)
                : describe(second) + (pf == null ? " > " + budget : " > budget too");
        if (pf == null || ps == null) {
            Site known = pf == null ? second : first;
            return firstPart + "; " + secondPart + "; only " + known.label()
                    + " has an estimate: placed there, violating the budget";
        }
        Site faster = site();
        return firstPart + "; " + secondPart + "; " + faster.label() + " is faster: placed there, violating the budget";
    }

    String describe(Site site) {
        if (site == Site.EDGE) {
            return edge.known() ? "edge p95 " + Fmt.one(edge.p95Millis()) + " ms" : "edge p95 unknown";
        }
        if (!cloud.known()) {
            return "cloud p95 unknown";
        }
        return "cloud p95 " + Fmt.one(cloud.p95Millis()) + " ms (rtt " + Fmt.one(cloud.rttMillis()) + " + transfer "
                + Fmt.one(cloud.transferMillis()) + " + compute " + Fmt.one(cloud.computeMillis()) + " + queue "
                + Fmt.one(cloud.queueMillis()) + ")";
    }
}
