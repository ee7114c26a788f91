package dev.continuum.agent.reconcile;

import dev.continuum.agent.Component;
import dev.continuum.agent.modelcache.DownloadException;
import dev.continuum.agent.modelcache.Downloader;
import dev.continuum.agent.modelcache.ModelCache;
import dev.continuum.agent.profile.LatencyProbe;
import dev.continuum.agent.profile.Slowdown;
import dev.continuum.agent.serving.ModelServer;
import dev.continuum.agent.serving.ServedModel;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.ModelStatus;
import dev.continuum.proto.v1.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the served models match the desired state, one change at a time on one worker thread:
 * fetch a missing artifact (resumably), install it into the cache, load it into the engine, measure
 * its latency, then swap it in. A step that fails leaves the version being served in place and is
 * reported with its reason; it is tried again after {@code retryDelay} and whenever a desired state
 * arrives. The last desired state is kept in {@code desired-state.pb} so a restart with no
 * controller serves what was installed and resumes what was not.
 *
 * <p>A model placed in the cloud is answered by the controller (see
 * {@link dev.continuum.agent.offload.Offloader}) and reported {@code REMOTE}. Unless
 * {@code keepLocalCopy} is off, it is still fetched, installed, loaded and measured like an edge
 * model, so a fallback when the controller is unreachable and a move back to the edge are instant;
 * its status stays {@code REMOTE} throughout, with {@code bytes_downloaded} the bytes of the local copy
 * (the artifact's size once it is loaded, with its measured p50/p95) and a failure of the local copy
 * in {@code error} as {@code local copy: ...}.
 */
public final class Reconciler implements Component {
    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
    static final String DESIRED_FILE = "desired-state.pb";

    private final Path dataDir;
    private final ModelCache cache;
    private final Downloader downloader;
    private final ModelServer server;
    private final int engineThreads;
    private final long retryDelayMillis;
    private final Consumer<ActualState> reporter;
    private final Slowdown slowdown;
    private final boolean keepLocalCopy;
    private final AtomicReference<DesiredState> pending = new AtomicReference<>();
    private final Map<String, ModelStatus> statuses = new ConcurrentSkipListMap<>();
    private volatile DesiredState desired;
    private volatile long appliedRevision;
    /** False until the installed models have been loaded after start. */
    private volatile boolean restored;
    private ScheduledExecutorService worker;

    public Reconciler(Path dataDir, ModelCache cache, Downloader downloader, ModelServer server, int engineThreads,
                      long retryDelayMillis, Consumer<ActualState> reporter) {
        this(dataDir, cache, downloader, server, engineThreads, retryDelayMillis, reporter, Slowdown.NONE, true);
    }

    /**
     * @param slowdown      scales the post-install latency probe ({@code emulate-slowdown})
     * @param keepLocalCopy whether models placed in the cloud are installed and loaded too ({@code offload-fallback})
     */
    public Reconciler(Path dataDir, ModelCache cache, Downloader downloader, ModelServer server, int engineThreads,
                      long retryDelayMillis, Consumer<ActualState> reporter, Slowdown slowdown, boolean keepLocalCopy) {
        this.slowdown = slowdown;
        this.keepLocalCopy = keepLocalCopy;
        this.dataDir = dataDir;
        this.cache = cache;
        this.downloader = downloader;
        this.server = server;
        this.engineThreads = engineThreads;
        this.retryDelayMillis = retryDelayMillis;
        this.reporter = reporter;
    }

    /**
     * Serves what is installed, then resumes the persisted desired state, without needing the
     * controller; both run on the worker thread, so this returns at once.
     */
    @Override
    public void start() throws IOException {
        cache.open();
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-reconciler");
            t.setDaemon(true);
            return t;
        });
        Path f = dataDir.resolve(DESIRED_FILE);
        DesiredState saved = Files.exists(f) ? DesiredState.parseFrom(Files.readAllBytes(f)) : null;
        desired = saved; // readiness waits for the restored models
        worker.execute(() -> restore(saved));
        if (saved != null) {
            offer(saved);
        }
    }

    /** Serves the installed current versions (on the worker, so the local APIs come up meanwhile). */
    private void restore(DesiredState saved) {
        cache.entries().forEach((model, e) -> {
            boolean wanted = saved == null || saved.getModelsList().stream().anyMatch(a -> a.getModel().equals(model));
            if (wanted) {
                ModelCache.Ref r = e.current();
                // measured at install: a restart serves at once instead of timing every model again
                ModelAssignment a = ModelAssignment.newBuilder().setModel(model).setVersion(r.version())
                        .setSha256(r.sha256()).build();
                serve(a, cache.path(r.sha256()), new LatencyProbe.Latency(r.p50Micros(), r.p95Micros(), 0));
            }
        });
        restored = true;
    }

    @Override
    public void stop() {
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Health health() {
        long failed = statuses.values().stream().filter(s -> s.getState() == ModelStatus.State.FAILED).count();
        return new Health("models", failed == 0, server.names().size() + " model(s) served, " + failed + " failed"
                + (desired == null ? ", no desired state yet" : ", desired revision " + desired.getRevision()));
    }

    /** Accepts a desired state from the controller; persisted at once, applied on the worker. */
    public void offer(DesiredState state) {
        try {
            Path tmp = dataDir.resolve(DESIRED_FILE + ".tmp");
            Files.write(tmp, state.toByteArray());
            Files.move(tmp, dataDir.resolve(DESIRED_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warning(() -> "cannot persist the desired state: " + e.getMessage());
        }
        desired = state;
        pending.set(state);
        worker.execute(this::drain);
    }

    /** Whether every model the desired state places on this device is served at its desired version. */
    public boolean ready() {
        DesiredState d = desired;
        if (!restored) {
            return false;
        }
        if (d == null) {
            return true;
        }
        return d.getModelsList().stream().filter(a -> a.getPlacement() != Placement.CLOUD).allMatch(
                a -> server.get(a.getModel()).filter(m -> m.sha256().equals(a.getSha256())).isPresent());
    }

    /** The model's assignment when the desired state places it in the cloud. */
    public Optional<ModelAssignment> cloudPlacement(String model) {
        DesiredState d = desired;
        if (d == null) {
            return Optional.empty();
        }
        return d.getModelsList().stream().filter(a -> a.getModel().equals(model) && a.getPlacement() == Placement.CLOUD)
                .findFirst();
    }

    public ActualState actualState() {
        return ActualState.newBuilder().setAppliedRevision(appliedRevision).addAllModels(statuses.values()).build();
    }

    private void drain() {
        DesiredState d = pending.getAndSet(null);
        if (d == null) {
            return;
        }
        boolean failures = false;
        Set<String> wanted = new HashSet<>();
        Set<String> keepParts = new HashSet<>();
        for (ModelAssignment a : d.getModelsList()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            wanted.add(a.getModel());
            if (a.getPlacement() == Placement.CLOUD && !keepLocalCopy) {
                server.remove(a.getModel());
                status(a, ModelStatus.State.REMOTE, "", 0, null);
                continue;
            }
            keepParts.add(a.getSha256());
            boolean current = server.get(a.getModel()).filter(m -> m.sha256().equals(a.getSha256())).isPresent();
            if (!current) {
                failures |= !install(a);
            } else {
                ModelStatus s = statuses.get(a.getModel());
                status(a, ModelStatus.State.SERVING, "", 0, s == null ? null
                        : new LatencyProbe.Latency(s.getP50Micros(), s.getP95Micros(), 0)); // REMOTE when in the cloud
            }
        }
        for (String name : server.names()) {
            if (!wanted.contains(name)) {
                LOG.info(() -> "model " + name + " is no longer assigned; unloading it");
                server.remove(name);
            }
        }
        statuses.keySet().removeIf(n -> !wanted.contains(n));
        try {
            for (String name : cache.entries().keySet()) {
                if (!wanted.contains(name)) {
                    cache.remove(name);
                }
            }
            cache.collectGarbage(keepParts, dataDir.resolve("downloads"));
        } catch (IOException e) {
            LOG.warning(() -> "cache cleanup failed: " + e.getMessage());
        }
        appliedRevision = d.getRevision();
        reporter.accept(actualState());
        if (failures && !Thread.currentThread().isInterrupted()) {
            worker.schedule(() -> {
                if (pending.compareAndSet(null, d) && desired == d) {
                    drain();
                }
            }, retryDelayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Fetches, installs, loads and swaps in one assignment; false (reported) when a step fails. */
    private boolean install(ModelAssignment a) {
        String sha = a.getSha256();
        Path file;
        try {
            if (cache.has(sha)) {
                file = cache.path(sha);
            } else {
                status(a, ModelStatus.State.DOWNLOADING, "", 0, null);
                reporter.accept(actualState());
                Path part = downloader.download(sha, a.getSizeBytes(), n -> status(a, ModelStatus.State.DOWNLOADING, "", n, null));
                file = cache.install(part, sha);
                LOG.info(() -> "installed " + a.getModel() + " " + a.getVersion() + " (" + sha + ")");
            }
        } catch (DownloadException e) {
            return failed(a, (e.corrupt() ? "verify: " : "download: ") + e.getMessage());
        } catch (IOException e) {
            return failed(a, "install: " + e);
        } catch (RuntimeException e) {
            return failed(a, "download: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        ServedModel served = serve(a, file, null);
        if (served == null) {
            return false;
        }
        ModelStatus s = statuses.get(a.getModel());
        try {
            cache.setCurrent(a.getModel(), new ModelCache.Ref(a.getVersion(), sha, s.getP50Micros(), s.getP95Micros()));
        } catch (IOException e) {
            LOG.warning(() -> "cannot record the installed version of " + a.getModel() + ": " + e.getMessage());
        }
        return true;
    }

    /**
     * Loads an installed artifact, measures it (unless {@code known} latency is given) and swaps it in;
     * null (status FAILED) when it cannot load.
     */
    private ServedModel serve(ModelAssignment a, Path file, LatencyProbe.Latency known) {
        String model = a.getModel();
        String version = a.getVersion();
        Session session = null;
        try {
            Model m = Model.load(file);
            session = m.newSession(SessionOptions.defaults().withThreads(engineThreads));
            LatencyProbe.Latency latency = known != null ? known
                    : LatencyProbe.measure(session, 50, 1000, slowdown);
            ServedModel served = new ServedModel(model, version, a.getSha256(), m, session);
            server.swap(served);
            status(a, ModelStatus.State.SERVING, "", 0, latency);
            String what = a.getPlacement() == Placement.CLOUD ? "loaded the local copy of " : "serving ";
            LOG.info(() -> what + model + " " + version + " (p50 " + latency.p50Micros() + " µs, p95 "
                    + latency.p95Micros() + " µs)");
            return served;
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            LOG.log(Level.FINE, "load failed", e);
            failed(a, "load: " + e.getMessage());
            return null;
        }
    }

    private boolean failed(ModelAssignment a, String reason) {
        LOG.warning(() -> "model " + a.getModel() + " " + a.getVersion() + ": " + reason);
        status(a, ModelStatus.State.FAILED, reason, 0, null);
        reporter.accept(actualState());
        return false;
    }

    /**
     * Records a model's status; for a model placed in the cloud every state of its local copy is
     * reported REMOTE (bytes = the local copy's, the artifact's size once loaded; a failure as {@code local copy: ...}).
     */
    private void status(ModelAssignment a, ModelStatus.State state, String error, long bytes, LatencyProbe.Latency l) {
        if (a.getPlacement() == Placement.CLOUD && state != ModelStatus.State.REMOTE) {
            bytes = state == ModelStatus.State.SERVING ? a.getSizeBytes() : bytes;
            error = error.isEmpty() ? "" : "local copy: " + error;
            state = ModelStatus.State.REMOTE;
        }
        ModelStatus.Builder b = ModelStatus.newBuilder().setModel(a.getModel()).setVersion(a.getVersion())
                .setSha256(a.getSha256()).setState(state).setError(error).setBytesDownloaded(bytes);
        if (l != null) {
            b.setP50Micros(l.p50Micros()).setP95Micros(l.p95Micros());
        }
        statuses.put(a.getModel(), b.build());
    }
}
