package dev.continuum.simulator;

import dev.continuum.agent.link.ControllerLink;
import dev.continuum.proto.v1.ModelStatus;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Many simulated devices in one JVM, and what they share: {@code connections} gRPC channels to the
 * controller (each device keeps its own credential and sync stream on one of them), one scheduler
 * (heartbeats, traffic ticks, retries, status), one work pool that applies desired states and runs
 * downloads, one {@link ArtifactStore}. What stays per device: the sync stream's reconnect loop (one
 * thread, blocked while the stream is up) and, for devices that publish telemetry, the agent's
 * telemetry (a batch timer, a sender thread and a Paho MQTT client with its own threads).
 */
public final class Fleet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Fleet.class.getName());
    static final String AGENT_VERSION = "sim-" + dev.continuum.agent.Agent.version();
    static final long TICK_MILLIS = 100;

    private final SimulatorConfig config;
    private final ArtifactStore store;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService work;
    private final ExecutorService forwards;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<SimulatedDevice> devices = new CopyOnWriteArrayList<>();
    private final Traffic traffic;
    private final LongAdder fetched = new LongAdder();
    private final long startedNanos = System.nanoTime();
    private long lastRequests;
    private long lastErrors;
    private long lastStatusNanos = System.nanoTime();

    public Fleet(SimulatorConfig config) throws IOException {
        this.config = config;
        this.store = new ArtifactStore(config.dataDir().resolve("artifacts"));
        this.scheduler = new ScheduledThreadPoolExecutor(2, daemons("sim-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.work = Executors.newFixedThreadPool(8, daemons("sim-work"));
        this.forwards = Executors.newFixedThreadPool(4, daemons("sim-forward"));
        this.traffic = new Traffic(config, forwards);
    }

    SimulatorConfig config() {
        return config;
    }

    ArtifactStore store() {
        return store;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService work() {
        return work;
    }

    LongAdder fetched() {
        return fetched;
    }

    List<SimulatedDevice> devices() {
        return devices;
    }

    /** The ids of the devices that have enrolled. */
    public List<String> deviceIds() {
        return devices.stream().map(SimulatedDevice::deviceId).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Starts the devices, {@code ramp} per second, and the traffic; {@code status} gets a status line
     * every {@code status-interval}. Returns at once.
     */
    public Fleet start(Consumer<String> status) {
        for (int c = 0; c < config.connections(); c++) {
            channels.add(ControllerLink.newChannel(config.agentConfig(0)));
        }
        long gapMicros = Math.max(1, Math.round(1e6 / config.ramp()));
        for (int i = 0; i < config.devices(); i++) {
            int index = i;
            scheduler.schedule(() -> startDevice(index), gapMicros * i, TimeUnit.MICROSECONDS);
        }
        scheduler.scheduleAtFixedRate(() -> {
            try {
                traffic.tick(devices, TICK_MILLIS / 1000.0);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "traffic tick failed", e);
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        long every = config.statusInterval().toMillis();
        scheduler.scheduleAtFixedRate(() -> status.accept(statusLine()), every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void startDevice(int index) {
        ManagedChannel ch = channels.get(index % channels.size());
        SimulatedDevice d = new SimulatedDevice(this, index, new ControllerLink.Shared(ch, scheduler),
                index < config.telemetryDevices());
        try {
            d.start();
            devices.add(d);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "device " + config.deviceName(index) + " could not start", e);
        }
    }

    /** A snapshot of the fleet, as the status line shows it. */
    public record Status(int started, int enrolled, int connected, int brokerConnected, Map<String, Integer> serving,
                         int downloading, int failed, long requests, long errors, long fetched) {
    }

    public Status status() {
        int enrolled = 0;
        int connected = 0;
        int broker = 0;
        int downloading = 0;
        int failed = 0;
        Map<String, Integer> serving = new TreeMap<>();
        for (SimulatedDevice d : devices) {
            enrolled += d.enrolled() ? 1 : 0;
            connected += d.connected() ? 1 : 0;
            broker += d.brokerConnected() ? 1 : 0;
            for (ModelStatus s : d.statuses().values()) {
                switch (s.getState()) {
                    case SERVING, REMOTE -> serving.merge(s.getModel() + ":" + s.getVersion()
                            + (s.getState() == ModelStatus.State.REMOTE ? "(cloud)" : ""), 1, Integer::sum);
                    case DOWNLOADING -> downloading++;
                    case FAILED -> failed++;
                    default -> {
                    }
                }
            }
        }
        return new Status(devices.size(), enrolled, connected, broker, serving, downloading, failed,
                traffic.requests.sum(), traffic.errors.sum(), fetched.sum());
    }

    String statusLine() {
        Status s = status();
        long now = System.nanoTime();
        double secs = Math.max(1e-3, (now - lastStatusNanos) / 1e9);
        double rps = (s.requests() - lastRequests) / secs;
        double eps = (s.errors() - lastErrors) / secs;
        lastRequests = s.requests();
        lastErrors = s.errors();
        lastStatusNanos = now;
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "t=%ds devices %d/%d started, %d enrolled, %d connected, %d on MQTT; "
                        + "serving %s; %d downloading, %d failed, %d fetched; %.0f req/s, %.1f err/s; threads %d, heap %d MB",
                (now - startedNanos) / 1_000_000_000L, s.started(), config.devices(), s.enrolled(), s.connected(),
                s.brokerConnected(), s.serving().isEmpty() ? "nothing" : s.serving(), s.downloading(), s.failed(),
                s.fetched(), rps, eps, ManagementFactory.getThreadMXBean().getThreadCount(),
                (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        ExecutorService stopping = Executors.newFixedThreadPool(16, daemons("sim-stop"));
        for (SimulatedDevice d : devices) {
            stopping.execute(d::stop);
        }
        stopping.shutdown();
        try {
            stopping.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
        forwards.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
