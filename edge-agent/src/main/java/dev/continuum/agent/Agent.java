package dev.continuum.agent;

import dev.continuum.agent.link.ControllerLink;
import dev.continuum.agent.link.Identity;
import dev.continuum.agent.modelcache.Downloader;
import dev.continuum.agent.modelcache.ModelCache;
import dev.continuum.agent.offload.CloudClient;
import dev.continuum.agent.offload.CloudTarget;
import dev.continuum.agent.offload.Offloader;
import dev.continuum.agent.profile.DeviceProfiler;
import dev.continuum.agent.profile.Slowdown;
import dev.continuum.agent.reconcile.Reconciler;
import dev.continuum.agent.serving.GrpcInferenceApi;
import dev.continuum.agent.serving.InferenceService;
import dev.continuum.agent.serving.ModelServer;
import dev.continuum.agent.serving.RestApi;
import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.agent.telemetry.Telemetry;
import dev.continuum.agent.telemetry.Vitals;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.DeviceProfile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The edge agent: every component wired here, in one place, from one {@link AgentConfig}, and
 * started and stopped together. Start order: telemetry (opens its outbox; the broker is connected in
 * the background), local REST API (live at once), model cache (installed models load on its worker,
 * so inference answers before the controller is reached), gRPC API, then the controller link. The
 * device profile (GEMM benchmark) runs in the background afterwards and is sent with the first
 * Hello. Stopping goes in reverse, so telemetry stores its last batch after the APIs have answered
 * their last request.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());
    /** Gap between retries of a model that failed to download or load. */
    private static final long RETRY_DELAY_MILLIS = 10_000;

    private final AgentConfig config;
    private final ModelServer server = new ModelServer();
    private final Reconciler reconciler;
    private final ControllerLink link;
    private final RestApi rest;
    private final GrpcInferenceApi grpc;
    private final Telemetry telemetry;
    private final Offloader offloader;
    private final Slowdown slowdown;
    private final List<Component> components = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    /** Measured after the local APIs are up, so it does not delay them; the first Hello waits for it. */
    private final CompletableFuture<DeviceProfile> profile = new CompletableFuture<>();

    public Agent(AgentConfig config) {
        this.config = config;
        this.slowdown = new Slowdown(config.emulateSlowdown());
        RequestRecorder recorder = new RequestRecorder();
        Vitals vitals = new Vitals();
        this.link = new ControllerLink(config, version(), profile, this::actualState, s -> reconciler().offer(s),
                vitals::recordRoundTrip);
        this.telemetry = new Telemetry(config, version(), this::identity, recorder, vitals);
        ModelCache cache = new ModelCache(config.dataDir());
        Downloader downloader = new Downloader(config.dataDir().resolve("downloads"), link, config.chunkSizeBytes());
        this.reconciler = new Reconciler(config.dataDir(), cache, downloader, server, config.engineThreads(),
                RETRY_DELAY_MILLIS, link::report, slowdown, config.offloadFallback());
        InferenceService service = new InferenceService(server, reconciler::ready, version(), recorder, slowdown);
        CloudClient cloud = new CloudClient(config.controller(), CloudClient.httpClient(config.offloadConnectTimeout()),
                config.offloadTimeout(), link::channel, this::identity);
        this.offloader = new Offloader(m -> reconciler().cloudPlacement(m)
                .map(a -> new CloudTarget(a.getModel(), a.getVersion(), a.getSha256())), cloud,
                t -> server.get(t.model()).filter(s -> s.sha256().equals(t.sha256())).isPresent(), recorder,
                vitals.uplink(), config.offloadFallback());
        int httpThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.rest = new RestApi(service, offloader, config.bind(), config.httpPort(), httpThreads);
        this.grpc = config.grpcPort() >= 0 ? new GrpcInferenceApi(service, offloader, config.bind(), config.grpcPort())
                : null;
        components.add(telemetry);
        components.add(rest);
        components.add(reconciler);
        if (grpc != null) {
            components.add(grpc);
        }
        components.add(link);
    }

    private Reconciler reconciler() {
        return reconciler;
    }

    private Identity identity() {
        return link.identity();
    }

    private ActualState actualState() {
        return reconciler.actualState();
    }

    /** Starts every component; on a failure stops those already started and rethrows. */
    public synchronized Agent start() throws Exception {
        Files.createDirectories(config.dataDir());
        LOG.info(() -> "starting Continuum agent " + version() + ": " + config);
        for (Component c : components) {
            try {
                c.start();
                started.add(c);
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "cannot start " + c.getClass().getSimpleName(), e);
                stop();
                throw e;
            }
        }
        if (!profile.isDone()) {
            daemon(() -> {
                try {
                    profile.complete(DeviceProfiler.measure(config.engineThreads(), 250, slowdown));
                } catch (RuntimeException e) {
                    profile.completeExceptionally(e);
                }
            }, "agent-profiler").start();
        }
        LOG.info(() -> "agent started: OIP REST on " + config.bind() + ":" + rest.port()
                + (grpc == null ? "" : ", gRPC on " + config.bind() + ":" + grpc.port()));
        return this;
    }

    /** Stops the components in reverse order. */
    public synchronized void stop() {
        if (started.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                long c0 = System.nanoTime();
                started.get(i).stop();
                String name = started.get(i).getClass().getSimpleName();
                LOG.fine(() -> "stopped " + name + " in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping " + started.get(i).getClass().getSimpleName() + " failed", e);
            }
        }
        started.clear();
        server.clear();
        LOG.info(() -> "agent stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Override
    public void close() {
        stop();
    }

    public List<Component.Health> health() {
        return components.stream().map(Component::health).toList();
    }

    public int restPort() {
        return rest.port();
    }

    /** The OIP gRPC port, or -1 when disabled. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    /** The device id once enrolled, else null. */
    public String deviceId() {
        return link.deviceId();
    }

    public boolean connected() {
        return link.connected();
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    public ModelServer server() {
        return server;
    }

    /** Requests that ran on the device because the controller was unreachable, since start. */
    public long offloadFallbacks() {
        return offloader.fallbacks();
    }

    public ActualState state() {
        return reconciler.actualState();
    }

    public static String version() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
