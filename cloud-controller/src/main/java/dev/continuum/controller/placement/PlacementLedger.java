package dev.continuum.controller.placement;

import java.util.Optional;

/**
 * Port: where placement keeps its memory per (device, model): the operator's pin, the hysteresis state,
 * and every decision with its inputs and reason (the answer to "why is this model in the cloud?").
 */
public interface PlacementLedger {
    /** The site an operator pinned the model to on this device, or empty. */
    Optional<Site> pin(String deviceId, String model);

    /** The state the last evaluation handed on, or empty before the first one. */
    Optional<PlacementState> state(String deviceId, String model);

    /** Stores the decision for {@code version} and the state for the next evaluation. */
    void record(String deviceId, String model, String version, PlacementDecision decision, PlacementState next);
}
