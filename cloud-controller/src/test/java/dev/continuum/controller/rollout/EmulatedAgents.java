package dev.continuum.controller.rollout;

import dev.continuum.controller.agentlink.DesiredStateService;
import dev.continuum.controller.agentlink.DeviceStatusService;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.ModelStatus;
import dev.continuum.proto.v1.Placement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents acting for devices through the controller's own services, as the sync stream would: every 50 ms each
 * online device reads its desired state and reports every assigned version SERVING (REMOTE when placed in the
 * cloud) with the p95 set for it, or FAILED for a version set to fail. Reporting also marks the device as
 * heard from, i.e. online.
 */
public final class EmulatedAgents implements AutoCloseable {
    private final DesiredStateService desired;
    private final DeviceStatusService status;
    private final List<String> devices;
    public final Map<String, Long> p95Micros = new ConcurrentHashMap<>();
    final Map<String, String> failing = new ConcurrentHashMap<>();
    final Set<String> offline = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public EmulatedAgents(DesiredStateService desired, DeviceStatusService status, List<String> devices) {
        this.desired = desired;
        this.status = status;
        this.devices = List.copyOf(devices);
        this.thread = new Thread(this::run, "emulated-agents");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (String id : devices) {
                if (!offline.contains(id)) {
                    try {
                        report(id);
                    } catch (RuntimeException e) {
                        // the device may have been deleted by a test's reset: keep going
                    }
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void report(String id) {
        DesiredState ds = desired.desiredState(id);
        ActualState.Builder state = ActualState.newBuilder().setAppliedRevision(ds.getRevision());
        for (ModelAssignment m : ds.getModelsList()) {
            ModelStatus.Builder s = ModelStatus.newBuilder().setModel(m.getModel()).setVersion(m.getVersion())
                    .setSha256(m.getSha256());
            if (m.getVersion().equals(failing.get(id))) {
                s.setState(ModelStatus.State.FAILED).setError("load: emulated failure");
            } else if (m.getPlacement() == Placement.CLOUD) {
                s.setState(ModelStatus.State.REMOTE);
            } else {
                long p95 = p95Micros.getOrDefault(id, 2_000L);
                s.setState(ModelStatus.State.SERVING).setP50Micros(p95 / 2).setP95Micros(p95);
            }
            state.addModels(s);
        }
        status.actualState(id, state.build());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
