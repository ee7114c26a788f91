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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents acting for enrolled devices: every 50 ms each device reads its desired state and reports, through the
 * service the sync stream writes with, every assigned version SERVING (REMOTE when placed in the cloud), or
 * FAILED for a version set to fail; every 200 ms it publishes a telemetry batch over MQTT with the traffic set
 * for each version it serves. Reporting marks the device as heard from, i.e. online.
 */
public final class EmulatedAgents implements AutoCloseable {
    /** Per telemetry batch of one device: requests, of them errors. */
    public record Traffic(long requests, long errors) {
    }

    private final DesiredStateService desired;
    private final DeviceStatusService status;
    private final FleetFixture fleet;
    private final List<String> devices;
    /** p95 the agent reports with its actual state (measured after install), per device; 2 ms when not set. */
    public final Map<String, Long> reportedP95Micros = new ConcurrentHashMap<>();
    /** Latency of each request in the telemetry, per device; 2 ms when not set. */
    public final Map<String, Long> latencyMicros = new ConcurrentHashMap<>();
    /** Version a device fails to install. */
    public final Map<String, String> failing = new ConcurrentHashMap<>();
    /** Traffic per model version, on every device serving it. */
    public final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    public EmulatedAgents(DesiredStateService desired, DeviceStatusService status, FleetFixture fleet,
                          List<String> devices) {
        this.desired = desired;
        this.status = status;
        this.fleet = fleet;
        this.devices = List.copyOf(devices);
        this.thread = new Thread(this::run, "emulated-agents");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (long tick = 0; running; tick++) {
            for (String id : devices) {
                try {
                    report(id, tick % 4 == 0);
                } catch (Exception e) {
                    if (running) {
                        failure = new IllegalStateException("emulated agent of " + id + " failed", e);
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

    private void report(String id, boolean publish) throws Exception {
        DesiredState ds = desired.desiredState(id);
        ActualState.Builder state = ActualState.newBuilder().setAppliedRevision(ds.getRevision());
        for (ModelAssignment m : ds.getModelsList()) {
            ModelStatus.Builder s = ModelStatus.newBuilder().setModel(m.getModel()).setVersion(m.getVersion())
                    .setSha256(m.getSha256());
            boolean cloud = m.getPlacement() == Placement.CLOUD;
            if (m.getVersion().equals(failing.get(id))) {
                s.setState(ModelStatus.State.FAILED).setError("load: emulated failure");
            } else if (cloud) {
                s.setState(ModelStatus.State.REMOTE);
            } else {
                long p95 = reportedP95Micros.getOrDefault(id, 2_000L);
                s.setState(ModelStatus.State.SERVING).setP50Micros(p95 / 2).setP95Micros(p95);
            }
            state.addModels(s);
            Traffic t = traffic.get(m.getVersion());
            if (publish && t != null && s.getState() != ModelStatus.State.FAILED) {
                long[] latencies = new long[(int) t.requests()];
                java.util.Arrays.fill(latencies, latencyMicros.getOrDefault(id, 2_000L));
                fleet.traffic(id, m.getModel(), m.getVersion(), cloud ? Placement.CLOUD : Placement.EDGE, t.requests(),
                        t.errors(), latencies);
            }
        }
        status.actualState(id, state.build());
    }

    /** Throws what went wrong in an emulated agent, if anything did. */
    public void check() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false; // not interrupted: a publish in flight completes
        thread.join(10_000);
    }
}
