package dev.continuum.controller.placement;

import dev.continuum.controller.placement.PlacementInputs.CloudSignals;
import dev.continuum.controller.placement.PlacementInputs.DeviceSignals;
import dev.continuum.controller.placement.PlacementInputs.ModelCost;
import java.util.OptionalLong;

/**
 * Port: where placement reads its measurements. Implemented over the registry (FLOPs, request and
 * response sizes from the signature), the fleet (device profile) and telemetry aggregates (RTT, uplink,
 * edge and cloud latencies). Every method answers "unknown" with nulls or an empty value, never throws
 * for a missing measurement.
 */
public interface PlacementSignals {
    /** FLOPs and payload sizes of the version; {@link ModelCost#UNKNOWN} when the registry lacks it. */
    ModelCost modelCost(String model, String version);

    /** The device's GFLOP/s, RTT p95 and uplink; {@link DeviceSignals#UNKNOWN} for an unknown device. */
    DeviceSignals device(String deviceId);

    /** p95 of one inference of the version measured on the device, microseconds; empty before install. */
    OptionalLong edgeP95Micros(String deviceId, String model, String version);

    /**
     * The controller's compute and queueing p95 for the version;
     * {@link CloudSignals#UNKNOWN} before any cloud request.
     */
    CloudSignals cloud(String model, String version);
}
