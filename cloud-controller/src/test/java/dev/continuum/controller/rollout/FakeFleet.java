package dev.continuum.controller.rollout;

import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.rollout.FleetDevice.ReportedState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory fleet of one model: devices with labels, a connection flag, the desired version (what
 * actions set) and what their agents report. {@link #agentsSync()} plays every online agent applying its
 * desired state.
 */
final class FakeFleet implements FleetView {
    static final class Dev {
        final String id;
        Map<String, String> labels;
        boolean online = true;
        String assigned;
        final Map<String, ReportedState> reported = new HashMap<>();
        /** An agent that cannot install: reports the desired version FAILED instead of SERVING. */
        boolean broken;
        /** An agent that never finishes downloading. */
        boolean hung;

        Dev(String id, Map<String, String> labels) {
            this.id = id;
            this.labels = labels;
        }

        FleetDevice view() {
            return new FleetDevice(id, online, assigned, reported);
        }
    }

    final Map<String, Dev> devices = new TreeMap<>();

    Dev add(String id, String assignedVersion, Map<String, String> labels) {
        Dev d = new Dev(id, labels);
        d.assigned = assignedVersion;
        if (assignedVersion != null) {
            d.reported.put(assignedVersion, ReportedState.SERVING);
        }
        devices.put(id, d);
        return d;
    }

    Dev get(String id) {
        return devices.get(id);
    }

    @Override
    public List<FleetDevice> matching(Selector selector, String model) {
        return devices.values().stream().filter(d -> selector.matches(d.labels)).map(Dev::view).toList();
    }

    @Override
    public List<FleetDevice> find(Collection<String> deviceIds, String model) {
        return deviceIds.stream().map(devices::get).filter(d -> d != null).map(Dev::view).toList();
    }

    /** Applies a step's device actions to the desired state, as the wiring will. */
    void apply(Reconciliation rec) {
        for (RolloutAction a : rec.actions()) {
            if (a instanceof RolloutAction.AssignVersion as) {
                devices.get(as.deviceId()).assigned = as.version();
            } else if (a instanceof RolloutAction.RevertVersion rv) {
                devices.get(rv.deviceId()).assigned = rv.toVersion();
            }
        }
    }

    /** Every online agent applies its desired state: the desired version ends up SERVING (or FAILED, or stays DOWNLOADING). */
    void agentsSync() {
        for (Dev d : devices.values()) {
            if (!d.online || d.assigned == null) {
                continue;
            }
            ReportedState s = d.hung ? ReportedState.DOWNLOADING : d.broken ? ReportedState.FAILED : ReportedState.SERVING;
            d.reported.clear();
            d.reported.put(d.assigned, s);
        }
    }
}
