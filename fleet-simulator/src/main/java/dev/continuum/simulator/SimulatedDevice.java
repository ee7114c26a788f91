package dev.continuum.simulator;

import dev.continuum.agent.AgentConfig;
import dev.continuum.agent.link.ControllerLink;
import dev.continuum.agent.link.Identity;
import dev.continuum.agent.modelcache.DownloadException;
import dev.continuum.agent.modelcache.Downloader;
import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.agent.telemetry.Telemetry;
import dev.continuum.agent.telemetry.Vitals;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.DeviceProfile;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.ModelStatus;
import dev.continuum.proto.v1.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One simulated edge device, speaking the real protocols with the agent's own classes: enrolment and
 * the sync stream ({@link ControllerLink}, on a channel and heartbeat scheduler shared with the
 * fleet), artifact transfer with chunk and whole-file verification ({@link Downloader}), and MQTT
 * telemetry from a disk-backed outbox ({@link Telemetry}) fed by its own {@link RequestRecorder}.
 * It does not run the engine: {@link #tick} makes up requests with the {@link LatencyModel} and the
 * {@link FailureModel}. Desired states are applied one at a time per device on the fleet's work pool.
 */
final class SimulatedDevice {
    private static final Logger LOG = Logger.getLogger(SimulatedDevice.class.getName());
    private static final long RETRY_MILLIS = 10_000;

    /** A model version this device answers for, and where. */
    record Served(String model, String version, String sha256, Placement placement, ArtifactStore.ModelInfo info,
                  long p50Micros) {
    }

    final int index;
    final AgentConfig config;
    final double slowdown;
    final long rttMicros;
    final RequestRecorder recorder = new RequestRecorder();
    private final Fleet fleet;
    private final Vitals vitals = new Vitals();
    private final ControllerLink link;
    private final Telemetry telemetry;
    private final Downloader downloader;
    private final Path installedDir;
    private final Map<String, ModelStatus> statuses = new ConcurrentSkipListMap<>();
    private final Map<String, Served> served = new ConcurrentSkipListMap<>();
    private final AtomicReference<DesiredState> pending = new AtomicReference<>();
    private volatile long appliedRevision;
    private volatile boolean running;
    long cloudRequests;

    SimulatedDevice(Fleet fleet, int index, ControllerLink.Shared shared, boolean publishTelemetry) {
        this.fleet = fleet;
        this.index = index;
        SimulatorConfig sim = fleet.config();
        this.config = sim.agentConfig(index);
        this.slowdown = sim.slowdownOf(index);
        this.rttMicros = sim.rttMicrosOf(index);
        DeviceProfile profile = DeviceProfile.newBuilder().setCores(1).setMemoryBytes(512L << 20)
                .setArchitecture("simulated").setEngineGflops(Math.round(sim.latency().deviceGflops(slowdown) * 100) / 100.0)
                .build();
        this.link = new ControllerLink(config, Fleet.AGENT_VERSION, CompletableFuture.completedFuture(profile),
                this::actualState, this::offer, vitals::recordRoundTrip, shared);
        this.telemetry = publishTelemetry ? new Telemetry(config, Fleet.AGENT_VERSION, link::identity, recorder, vitals) : null;
        this.downloader = new Downloader(config.dataDir().resolve("downloads"), link, config.chunkSizeBytes());
        this.installedDir = config.dataDir().resolve("fetched");
    }

    void start() throws IOException {
        Files.createDirectories(installedDir);
        running = true;
        if (telemetry != null) {
            telemetry.start();
        }
        link.start();
    }

    void stop() {
        running = false;
        link.stop();
        if (telemetry != null) {
            telemetry.stop();
        }
    }

    boolean connected() {
        return link.connected();
    }

    boolean enrolled() {
        return link.deviceId() != null;
    }

    String deviceId() {
        return link.deviceId();
    }

    Identity identity() {
        return link.identity();
    }

    boolean brokerConnected() {
        return telemetry != null && telemetry.brokerConnected();
    }

    Map<String, ModelStatus> statuses() {
        return statuses;
    }

    Iterable<Served> served() {
        return served.values();
    }

    private ActualState actualState() {
        return ActualState.newBuilder().setAppliedRevision(appliedRevision).addAllModels(statuses.values()).build();
    }

    /** A desired state from the controller: kept, and applied on the fleet's work pool. */
    private void offer(DesiredState d) {
        if (pending.getAndSet(d) == null) {
            fleet.work().execute(this::drain);
        }
    }

    private void drain() {
        DesiredState d = pending.getAndSet(null);
        if (d == null || !running) {
            return;
        }
        boolean failures = false;
        Set<String> wanted = new HashSet<>();
        for (ModelAssignment a : d.getModelsList()) {
            wanted.add(a.getModel());
            Served s = served.get(a.getModel());
            if (s != null && s.sha256().equals(a.getSha256())) {
                served.put(a.getModel(), new Served(a.getModel(), a.getVersion(), s.sha256(), a.getPlacement(), s.info(),
                        s.p50Micros()));
                status(a, stateOf(a), "", a.getSizeBytes(), s.p50Micros());
                continue;
            }
            failures |= !install(a);
        }
        served.keySet().retainAll(wanted);
        statuses.keySet().retainAll(wanted);
        appliedRevision = d.getRevision();
        link.report(actualState());
        if (failures && running) {
            fleet.scheduler().schedule(() -> {
                if (pending.compareAndSet(null, d)) {
                    drain();
                }
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Fetches (unless this device fetched it before), verifies, and starts answering for one assignment. */
    private boolean install(ModelAssignment a) {
        String sha = a.getSha256();
        try {
            Path marker = installedDir.resolve(sha);
            if (!Files.exists(marker)) {
                status(a, ModelStatus.State.DOWNLOADING, "", 0, 0);
                link.report(actualState());
                Path part = downloader.download(sha, a.getSizeBytes(), n -> { });
                fleet.store().adopt(part, sha);
                fleet.fetched().increment();
                Files.createFile(marker);
            }
            ArtifactStore.ModelInfo info = fleet.store().info(sha);
            LatencyModel lm = fleet.config().latency();
            long p50 = lm.edgeMicros(info.flops(), slowdown);
            served.put(a.getModel(), new Served(a.getModel(), a.getVersion(), sha, a.getPlacement(), info, p50));
            status(a, stateOf(a), "", a.getSizeBytes(), p50);
            return true;
        } catch (DownloadException e) {
            return failed(a, (e.corrupt() ? "verify: " : "download: ") + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return failed(a, "install: " + e);
        }
    }

    private static ModelStatus.State stateOf(ModelAssignment a) {
        return a.getPlacement() == Placement.CLOUD ? ModelStatus.State.REMOTE : ModelStatus.State.SERVING;
    }

    private boolean failed(ModelAssignment a, String reason) {
        LOG.fine(() -> config.name() + ": " + a.getModel() + " " + a.getVersion() + ": " + reason);
        status(a, ModelStatus.State.FAILED, reason, 0, 0);
        served.remove(a.getModel());
        return false;
    }

    private void status(ModelAssignment a, ModelStatus.State state, String error, long bytes, long p50Micros) {
        ModelStatus.Builder b = ModelStatus.newBuilder().setModel(a.getModel()).setVersion(a.getVersion())
                .setSha256(a.getSha256()).setState(state).setError(error).setBytesDownloaded(bytes);
        if (p50Micros > 0) {
            // the simulated noise is half-normal: its 95th percentile is 1.96 sigma
            b.setP50Micros(Math.round(p50Micros * (1 + 0.674 * fleet.config().latency().noise())))
                    .setP95Micros(Math.round(p50Micros * (1 + 1.96 * fleet.config().latency().noise())));
        }
        statuses.put(a.getModel(), b.build());
    }
}
