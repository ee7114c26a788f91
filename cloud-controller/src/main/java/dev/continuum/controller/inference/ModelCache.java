package dev.continuum.controller.inference;

import dev.continuum.engine.EngineException;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Model artifacts loaded on demand, keyed by sha256 (versions with the same bytes share one load),
 * kept least-recently-used within a count and a total artifact size. A model is read from the
 * artifact store and verified against its sha256 while it is parsed; requests that arrive while it
 * loads wait for that one load. An evicted model's session closes when its last request ends.
 */
final class ModelCache {
    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    private final int maxModels;
    private final long maxBytes;
    private final Function<String, Path> artifactPath;
    private final SessionOptions sessionOptions;
    private final Consumer<String> beforeLoad;
    /** Access-ordered: the eldest entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<String, LoadedModel> loaded = new LinkedHashMap<>(16, 0.75f, true);
    private final ConcurrentHashMap<String, CompletableFuture<LoadedModel>> loading = new ConcurrentHashMap<>();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicInteger awaitingLoad = new AtomicInteger();
    private long bytes;

    /** The artifact of a model version cannot be served: missing, corrupted or not loadable. */
    static final class ArtifactException extends RuntimeException {
        ArtifactException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param artifactPath where the artifact of a sha256 is stored
     * @param beforeLoad   called on the loading thread before an artifact is read (a test hook)
     */
    ModelCache(int maxModels, long maxBytes, Function<String, Path> artifactPath, SessionOptions sessionOptions,
               Consumer<String> beforeLoad) {
        if (maxModels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the model cache needs room for one model, got maxModels " + maxModels
                    + " and maxBytes " + maxBytes);
        }
        this.maxModels = maxModels;
        this.maxBytes = maxBytes;
        this.artifactPath = artifactPath;
        this.sessionOptions = sessionOptions;
        this.beforeLoad = beforeLoad;
    }

    /**
     * A hold on the loaded model of an artifact, loading it first when it is not cached.
     *
     * @throws ArtifactException when the artifact is missing, does not match its sha256 or does not load
     */
    LoadedModel.Lease acquire(String sha256) {
        while (true) {
            synchronized (this) {
                LoadedModel m = loaded.get(sha256);
                if (m != null && m.tryAcquire()) {
                    return new LoadedModel.Lease(m);
                }
            }
            CompletableFuture<LoadedModel> mine = new CompletableFuture<>();
            CompletableFuture<LoadedModel> theirs = loading.putIfAbsent(sha256, mine);
            if (theirs == null) {
                LoadedModel.Lease lease = loadAs(sha256, mine);
                if (lease != null) {
                    return lease;
                }
            } else {
                LoadedModel m = await(theirs);
                if (m.tryAcquire()) {
                    return new LoadedModel.Lease(m);
                }
            }
            // evicted and closed before we could take it, or loaded by another thread just before: look again
        }
    }

    /** Loads as the one loader of {@code sha256}; null when another thread had finished loading it meanwhile. */
    private LoadedModel.Lease loadAs(String sha256, CompletableFuture<LoadedModel> mine) {
        try {
            synchronized (this) {
                if (loaded.containsKey(sha256)) {
                    mine.complete(loaded.get(sha256));
                    return null;
                }
            }
            LoadedModel m = load(sha256);
            m.tryAcquire(); // the caller's reference, taken before any eviction could release the cache's
            insert(m);
            mine.complete(m);
            return new LoadedModel.Lease(m);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(sha256, mine);
        }
    }

    private LoadedModel await(CompletableFuture<LoadedModel> f) {
        awaitingLoad.incrementAndGet();
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        } finally {
            awaitingLoad.decrementAndGet();
        }
    }

    private LoadedModel load(String sha256) {
        beforeLoad.accept(sha256);
        Path file = artifactPath.apply(sha256);
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException("artifact sha256 " + sha256 + " is missing from the artifact store", null);
        }
        long t0 = System.nanoTime();
        Model model;
        try {
            // the engine maps the file: the digest is of the very bytes it then parses, read once
            model = Model.load(file, bytes -> verify(file, sha256, bytes));
        } catch (EngineException e) {
            throw new ArtifactException("artifact sha256 " + sha256 + " does not load: " + e.getMessage(), e);
        }
        loads.incrementAndGet();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ArtifactException("artifact sha256 " + sha256 + " cannot be read: " + e.getMessage(), e);
        }
        Session session = model.newSession(sessionOptions);
        long t1 = System.nanoTime();
        int warmRuns = warmUp(sha256, session);
        LOG.infof("loaded artifact %s (%d bytes) in %d ms, then %d warm-up runs in %d ms", sha256, size,
                (t1 - t0) / 1_000_000, warmRuns, (System.nanoTime() - t1) / 1_000_000);
        return new LoadedModel(sha256, size, model, session, warmRuns);
    }

    /**
     * Runs a new session on zeros before it serves ({@link Session#warmUp()}: up to 300 runs or 2 s, which
     * a large model's first request waits for beside its load), so that a cloud-placed model's first
     * requests are not its interpreted runs (LeNet's first cloud runs took 420-920 ms at p95 on a fresh controller, and
     * a rollout's health gate counted them). A model that fails on zeros serves unwarmed.
     */
    private static int warmUp(String sha256, Session session) {
        try {
            return session.warmUp();
        } catch (EngineException e) {
            LOG.warnf("artifact %s serves without a warm-up: it fails on zero inputs (%s)", sha256, e.getMessage());
            return 0;
        }
    }

    /** Refuses bytes whose SHA-256 is not the one the artifact is stored under. */
    private static void verify(Path file, String sha256, ByteBuffer bytes) {
        MessageDigest digest = sha256Digest();
        digest.update(bytes);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            LOG.errorf("artifact file %s has sha256 %s, not the %s it is stored under; not serving it", file, actual,
                    sha256);
            throw new ArtifactException("artifact sha256 " + sha256 + " failed verification: the stored file has "
                    + "sha256 " + actual, null);
        }
    }

    private synchronized void insert(LoadedModel m) {
        LoadedModel old = loaded.put(m.sha256(), m);
        if (old != null) {
            bytes -= old.sizeBytes();
            old.release();
        }
        bytes += m.sizeBytes();
        Iterator<Map.Entry<String, LoadedModel>> eldest = loaded.entrySet().iterator();
        while ((loaded.size() > maxModels || bytes > maxBytes) && loaded.size() > 1) {
            LoadedModel victim = eldest.next().getValue();
            if (victim == m) {
                continue;
            }
            eldest.remove();
            bytes -= victim.sizeBytes();
            victim.release();
            LOG.debugf("evicted artifact %s (%d bytes) from the model cache", victim.sha256(), victim.sizeBytes());
        }
        if (bytes > maxBytes) {
            LOG.warnf("artifact %s (%d bytes) alone exceeds continuum.inference.cache.max-bytes (%d)", m.sha256(),
                    m.sizeBytes(), maxBytes);
        }
    }

    /** Drops every cached model; requests in flight finish on theirs. */
    synchronized void clear() {
        loaded.values().forEach(LoadedModel::release);
        loaded.clear();
        bytes = 0;
    }

    /** Artifacts loaded from the store since start (a load another request waited for counts once). */
    long loads() {
        return loads.get();
    }

    /** Requests now waiting for a load another request started. */
    int awaitingLoad() {
        return awaitingLoad.get();
    }

    synchronized int size() {
        return loaded.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Cached artifacts, least recently used first. */
    synchronized List<String> cached() {
        return List.copyOf(loaded.keySet());
    }

    int maxModels() {
        return maxModels;
    }

    long maxBytes() {
        return maxBytes;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
