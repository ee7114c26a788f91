package dev.continuum.controller.rollout;

import dev.continuum.controller.fleet.Selector;
import java.util.Collection;
import java.util.List;

/**
 * Port: the fleet as a rollout needs it. Implemented over devices, assignments (desired state) and the
 * agents' reported actual state and connection status.
 */
public interface FleetView {
    /** Every device whose labels match the selector now. */
    List<FleetDevice> matching(Selector selector, String model);

    /** Those of the named devices that still exist, whatever their labels now. */
    List<FleetDevice> find(Collection<String> deviceIds, String model);
}
