package dev.continuum.controller.placement;

/**
 * Which site a rollout tries first. EDGE_FIRST (the default): edge if it meets the budget, else cloud if
 * that does. CLOUD_FIRST: the other way round. When neither meets the budget the faster one is chosen
 * whatever the preference.
 */
public enum PlacementPreference {
    EDGE_FIRST(Site.EDGE), CLOUD_FIRST(Site.CLOUD);

    private final Site first;

    PlacementPreference(Site first) {
        this.first = first;
    }

    public Site first() {
        return first;
    }

    public Site second() {
        return first.other();
    }
}
