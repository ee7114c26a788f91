package dev.continuum.controller.registry;

import dev.continuum.controller.common.Times;
import dev.continuum.controller.common.PayloadTooLargeException;
import dev.continuum.controller.config.ContinuumConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Content-addressed artifact files under {@code $CONTINUUM_DATA_DIR/artifacts/sha256/ab/abcdef...}.
 * Uploads stream into {@code tmp/} while being hashed, then move into place with one atomic rename,
 * so a reader never sees a partial artifact and equal bytes are stored once. Work that adds or
 * removes the file of one digest runs under {@link #locked} so a publish and a delete of the same
 * bytes cannot interleave.
 */
@ApplicationScoped
public class ArtifactStore {
    private static final Logger LOG = Logger.getLogger(ArtifactStore.class);
    private static final int BUFFER = 1 << 16;
    /** Temp files older than this at startup belong to uploads that died with a previous process. */
    private static final Duration STALE_UPLOAD = Duration.ofHours(1);

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Inject
    ContinuumConfig config;

    /** An upload received into a temp file: where it is, its digest and its length. */
    public record Upload(Path tempFile, String sha256, long sizeBytes) {
    }

    void onStart(@Observes StartupEvent e) throws IOException {
        Files.createDirectories(artifactsRoot());
        Files.createDirectories(tmpDir());
        Instant cutoff = Times.now().minus(STALE_UPLOAD);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmpDir(), "upload-*")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    LOG.infof("removing stale upload %s", p);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public Path artifactsRoot() {
        return config.dataDir().resolve("artifacts").resolve("sha256");
    }

    Path tmpDir() {
        return config.dataDir().resolve("tmp");
    }

    public Path path(String sha256) {
        return artifactsRoot().resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /**
     * Streams {@code body} into a temp file, hashing as it goes, refusing more than {@code maxBytes}.
     * On any failure the temp file is gone.
     */
    public Upload receive(InputStream body, long maxBytes) {
        Path tmp;
        try {
            Files.createDirectories(tmpDir());
            tmp = Files.createTempFile(tmpDir(), "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp file under " + tmpDir(), e);
        }
        try {
            MessageDigest sha = sha256();
            long total = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                byte[] buf = new byte[BUFFER];
                for (int n; (n = body.read(buf)) >= 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw new PayloadTooLargeException(maxBytes, "continuum.registry.max-artifact-size");
                    }
                    out.write(buf, 0, n);
                }
            }
            return new Upload(tmp, HexFormat.of().formatHex(sha.digest()), total);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("upload interrupted: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Moves an upload into the store (or drops it when the same bytes are stored already). Call under {@link #locked}. */
    public Path commit(Upload upload) {
        Path target = path(upload.sha256());
        try {
            if (Files.exists(target)) {
                Files.delete(upload.tempFile());
                Files.setLastModifiedTime(target, FileTime.from(Times.now()));
                return target;
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(upload.tempFile(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the data directory " + config.dataDir()
                        + " does not support atomic renames; tmp/ and artifacts/ must be on one file system", e);
            }
            return target;
        } catch (IOException e) {
            deleteQuietly(upload.tempFile());
            throw new UncheckedIOException("cannot store artifact " + upload.sha256(), e);
        }
    }

    public void discard(Upload upload) {
        deleteQuietly(upload.tempFile());
    }

    /** Removes a stored artifact. Call under {@link #locked} after checking that nothing references it. */
    public void delete(String sha256) {
        try {
            Files.deleteIfExists(path(sha256));
        } catch (IOException e) {
            LOG.warnf("cannot delete unreferenced artifact %s: %s", sha256, e.getMessage());
        }
    }

    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Runs {@code work} holding this process's lock for one digest. */
    public <T> T locked(String sha256, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(sha256, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
            locks.computeIfPresent(sha256, (k, l) -> l.isLocked() || l.hasQueuedThreads() ? l : null);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warnf("cannot delete temp file %s: %s", p, e.getMessage());
        }
    }
}
