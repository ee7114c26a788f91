package dev.continuum.agent.link;

import dev.continuum.agent.AgentConfig;
import dev.continuum.agent.Component;
import dev.continuum.agent.modelcache.ArtifactSource;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.AgentLinkGrpc;
import dev.continuum.proto.v1.AgentMessage;
import dev.continuum.proto.v1.ArtifactTransferGrpc;
import dev.continuum.proto.v1.Chunk;
import dev.continuum.proto.v1.ControllerMessage;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.DeviceProfile;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.FetchRequest;
import dev.continuum.proto.v1.Heartbeat;
import dev.continuum.proto.v1.Hello;
import dev.continuum.proto.v1.TelemetryEndpoint;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's link to the controller: enrols once (keeping the identity in the data directory),
 * then holds one {@code AgentLink.Sync} stream, handing every desired state it receives to
 * {@code onDesiredState}, sending the actual state when {@link #report} is called and a heartbeat
 * at the configured interval. When the stream breaks (controller stopped, network gone) an explicit
 * loop reconnects with exponential backoff and jitter, logging "reconnecting in 4.0 s". Also the
 * {@link ArtifactSource} for downloads, over the same channel and credential.
 *
 * <p>Every heartbeat carries {@code System.nanoTime()}; when the controller echoes it in a
 * {@code HeartbeatAck} the round trip goes to {@code onRoundTripMicros}. The telemetry endpoint the
 * controller names at enrolment, and again in a desired state, is kept with the {@link Identity}
 * (the latest wins).
 *
 * <p>A process holding many links (the fleet simulator) passes one {@link Shared} channel and
 * scheduler to all of them: each link still has its own credential, stream and reconnect loop, but
 * they share the connection and the heartbeat thread.
 */
public final class ControllerLink implements Component, ArtifactSource {
    private static final Logger LOG = Logger.getLogger(ControllerLink.class.getName());

    private final AgentConfig config;
    private final String agentVersion;
    private final CompletableFuture<DeviceProfile> profile;
    private final Supplier<ActualState> actualState;
    private final Consumer<DesiredState> onDesiredState;
    private final LongConsumer onRoundTripMicros;
    private final Backoff backoff;
    private final Object sendLock = new Object();
    private final Shared shared;

    /**
     * A channel to the controller and a scheduler for heartbeats that several links share; a link
     * neither closes nor shuts them down. Either may be null: the link then makes its own.
     */
    public record Shared(ManagedChannel channel, ScheduledExecutorService scheduler) {
    }

    private volatile ManagedChannel channel;
    private ScheduledExecutorService heartbeats;
    private java.util.concurrent.ScheduledFuture<?> heartbeat;
    private Thread loop;
    private volatile boolean running;
    private volatile Identity identity;
    private volatile StreamObserver<AgentMessage> stream;
    private volatile boolean connected;
    private volatile String problem = "not started";

    public ControllerLink(AgentConfig config, String agentVersion, CompletableFuture<DeviceProfile> profile,
                          Supplier<ActualState> actualState, Consumer<DesiredState> onDesiredState) {
        this(config, agentVersion, profile, actualState, onDesiredState, rtt -> { });
    }

    public ControllerLink(AgentConfig config, String agentVersion, CompletableFuture<DeviceProfile> profile,
                          Supplier<ActualState> actualState, Consumer<DesiredState> onDesiredState,
                          LongConsumer onRoundTripMicros) {
        this(config, agentVersion, profile, actualState, onDesiredState, onRoundTripMicros, new Shared(null, null));
    }

    public ControllerLink(AgentConfig config, String agentVersion, CompletableFuture<DeviceProfile> profile,
                          Supplier<ActualState> actualState, Consumer<DesiredState> onDesiredState,
                          LongConsumer onRoundTripMicros, Shared shared) {
        this.shared = shared;
        this.onRoundTripMicros = onRoundTripMicros;
        this.config = config;
        this.agentVersion = agentVersion;
        this.profile = profile;
        this.actualState = actualState;
        this.onDesiredState = onDesiredState;
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax(), () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void start() throws IOException {
        identity = Identity.load(config.dataDir()).orElse(null);
        channel = shared.channel() != null ? shared.channel() : newChannel(config);
        heartbeats = shared.scheduler() != null ? shared.scheduler()
                : Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-heartbeat"));
        long every = config.heartbeat().toMillis();
        heartbeat = heartbeats.scheduleAtFixedRate(() -> send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setSentAtMillis(System.currentTimeMillis()).setSentAtNanos(System.nanoTime())).build()),
                every, every, TimeUnit.MILLISECONDS);
        running = true;
        loop = daemon(this::run, "agent-controller-link");
        loop.start();
    }

    /** A channel to the controller the config names: plaintext for http://, TLS for https://. */
    public static ManagedChannel newChannel(AgentConfig config) {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(config.controllerTarget())
                .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                .maxInboundMessageSize(2 << 20);
        return (config.controllerTls() ? b.useTransportSecurity() : b.usePlaintext()).build();
    }

    @Override
    public void stop() {
        running = false;
        StreamObserver<AgentMessage> s = stream;
        if (s instanceof ClientCallStreamObserver<AgentMessage> c) {
            c.cancel("agent stopping", null);
        }
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (heartbeats != null && heartbeats != shared.scheduler()) {
            heartbeats.shutdownNow();
        }
        if (channel != null && channel != shared.channel()) {
            channel.shutdownNow();
        }
        connected = false;
        problem = "stopped";
    }

    @Override
    public Health health() {
        return new Health("controller-link", connected, connected ? "connected to " + config.controller() : problem);
    }

    public boolean connected() {
        return connected;
    }

    /** The channel to the controller (also for forwarded inference), null until started. */
    public Channel channel() {
        return channel;
    }

    /** The device's identity (id, credential, telemetry endpoint), once enrolled; else null. */
    public Identity identity() {
        return identity;
    }

    /** The device id, once enrolled. */
    public String deviceId() {
        Identity id = identity;
        return id == null ? null : id.deviceId();
    }

    /** Sends the actual state now if the stream is up (it is sent again in every Hello anyway). */
    public void report(ActualState state) {
        send(AgentMessage.newBuilder().setActualState(state).build());
    }

    private void send(AgentMessage m) {
        synchronized (sendLock) {
            StreamObserver<AgentMessage> s = stream;
            if (s != null) {
                try {
                    s.onNext(m);
                } catch (RuntimeException e) {
                    LOG.fine(() -> "send failed, the stream is closing: " + e);
                }
            }
        }
    }

    private void run() {
        int attempt = 0;
        while (running) {
            String reason;
            try {
                if (identity == null) {
                    enrol();
                }
                boolean heard = sync();
                reason = "the controller closed the sync stream";
                if (heard) {
                    attempt = 0;
                }
            } catch (StatusRuntimeException e) {
                reason = describe(e);
            } catch (IOException e) {
                reason = "cannot store the device identity: " + e.getMessage();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "controller link failed", e);
                reason = e.toString();
            }
            if (!running) {
                break;
            }
            problem = reason;
            Duration d = backoff.delay(attempt++);
            LOG.info(String.format(java.util.Locale.ROOT, "controller link: %s; reconnecting in %.1f s", reason,
                    d.toNanos() / 1e9));
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private String describe(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String detail = e.getStatus().getDescription() == null ? code.name() : code + ": " + e.getStatus().getDescription();
        if (code == Status.Code.UNAUTHENTICATED) {
            LOG.severe(() -> "the controller refused this agent's credentials (" + detail + ")");
            return "refused by the controller (" + detail + ")";
        }
        return "controller unreachable or stream broken (" + detail + ")";
    }

    private void enrol() throws IOException {
        if (config.bootstrapToken() == null) {
            throw new StatusRuntimeException(Status.UNAUTHENTICATED.withDescription(
                    "not enrolled and no bootstrap token configured (--bootstrap-token or CONTINUUM_AGENT_BOOTSTRAP_TOKEN)"));
        }
        String enrolmentId = EnrolmentId.loadOrCreate(config.dataDir());
        EnrolResponse r = DeviceEnrolmentGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .enrol(EnrolRequest.newBuilder().setBootstrapToken(config.bootstrapToken()).setName(config.name())
                        .putAllLabels(config.labels()).setProfile(currentProfile()).setAgentVersion(agentVersion)
                        .setEnrolmentId(enrolmentId).build());
        Identity id = new Identity(r.getDeviceId(), r.getCredential(), r.getTelemetry());
        id.save(config.dataDir());
        EnrolmentId.forget(config.dataDir());
        identity = id;
        LOG.info(() -> "enrolled as device " + id.deviceId());
    }

    /** Runs one sync stream until it ends; true when the controller answered on it. */
    private boolean sync() throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean[] heard = {false};
        AgentLinkGrpc.AgentLinkStub stub = AgentLinkGrpc.newStub(channel).withCallCredentials(new BearerCredential(() -> identity));
        StreamObserver<AgentMessage> s = stub.sync(new StreamObserver<>() {
            @Override
            public void onNext(ControllerMessage m) {
                if (!heard[0]) {
                    heard[0] = true;
                    connected = true;
                    LOG.info(() -> "connected to the controller at " + config.controller() + " as " + identity.deviceId());
                }
                if (m.hasDesiredState()) {
                    if (m.getDesiredState().hasTelemetry()) {
                        keepTelemetryEndpoint(m.getDesiredState().getTelemetry());
                    }
                    onDesiredState.accept(m.getDesiredState());
                } else if (m.hasHeartbeatAck()) {
                    long rttNanos = System.nanoTime() - m.getHeartbeatAck().getSentAtNanos();
                    if (rttNanos >= 0 && rttNanos < TimeUnit.MINUTES.toNanos(10)) {
                        onRoundTripMicros.accept(rttNanos / 1000);
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        synchronized (sendLock) {
            stream = s;
        }
        try {
            sendHello();
            if (!profile.isDone()) {
                // the GEMM benchmark is still running: say hello now, and again with the measured profile
                profile.thenRun(() -> {
                    if (stream == s) {
                        sendHello();
                    }
                });
            }
            done.get();
            synchronized (sendLock) {
                s.onCompleted();
            }
            return heard[0];
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (InterruptedException e) {
            if (s instanceof ClientCallStreamObserver<AgentMessage> c) {
                c.cancel("agent stopping", null);
            }
            throw e;
        } finally {
            synchronized (sendLock) {
                stream = null;
            }
            connected = false;
        }
    }

    /** Keeps the endpoint the controller named with the identity, so a restart uses it before reconnecting. */
    private void keepTelemetryEndpoint(TelemetryEndpoint endpoint) {
        Identity id = identity;
        if (id == null || id.telemetry().equals(endpoint)) {
            return;
        }
        Identity updated = id.withTelemetry(endpoint);
        identity = updated;
        LOG.info(() -> "telemetry endpoint from the controller: " + (endpoint.getBrokerUri().isEmpty() ? "none"
                : endpoint.getBrokerUri()) + ", every " + endpoint.getIntervalMillis() + " ms");
        try {
            updated.save(config.dataDir());
        } catch (IOException e) {
            LOG.warning(() -> "cannot store the telemetry endpoint with the identity: " + e.getMessage());
        }
    }

    private void sendHello() {
        send(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion(agentVersion)
                .setProfile(currentProfile()).setActualState(actualState.get())).build());
    }

    /** The measured profile, or cores and architecture only while the benchmark still runs (or failed). */
    private DeviceProfile currentProfile() {
        try {
            return profile.getNow(null) != null ? profile.getNow(null) : basicProfile();
        } catch (RuntimeException e) {
            LOG.warning(() -> "device profile unavailable (" + e + "); reporting cores and architecture only");
            return basicProfile();
        }
    }

    private static DeviceProfile basicProfile() {
        return DeviceProfile.newBuilder().setCores(Runtime.getRuntime().availableProcessors())
                .setArchitecture(System.getProperty("os.arch")).build();
    }

    @Override
    public ChunkStream open(String sha256, long offset, int chunkSize) {
        Context.CancellableContext ctx = Context.current().withCancellation();
        ArtifactTransferGrpc.ArtifactTransferBlockingStub stub = ArtifactTransferGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredential(() -> identity));
        FetchRequest req = FetchRequest.newBuilder().setSha256(sha256).setOffset(offset).setChunkSize(chunkSize).build();
        Iterator<Chunk> it;
        Context previous = ctx.attach();
        try {
            it = stub.fetch(req);
        } finally {
            ctx.detach(previous);
        }
        return new ChunkStream() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Chunk next() {
                return it.next();
            }

            @Override
            public void close() {
                ctx.cancel(null);
            }
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
