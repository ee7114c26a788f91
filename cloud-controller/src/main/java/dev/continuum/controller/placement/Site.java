package dev.continuum.controller.placement;

/** Where a device runs a model: in its own tensor engine, or forwarded to the controller's inference endpoint. */
public enum Site {
    EDGE, CLOUD;

    public Site other() {
        return this == EDGE ? CLOUD : EDGE;
    }

    /** Lower-case name as used in reasons and the API: {@code edge}, {@code cloud}. */
    public String label() {
        return this == EDGE ? "edge" : "cloud";
    }
}
