package dev.continuum.controller.registry;

import dev.continuum.controller.common.PayloadTooLargeException;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.UnprocessableException;
import dev.continuum.controller.config.ContinuumConfig;
import dev.continuum.controller.registry.ArtifactStore.Upload;
import dev.continuum.engine.ModelSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.io.InputStream;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Publishing and deleting versions end to end: stream to a temp file while hashing, let the engine
 * inspect it, move it into the content-addressed store, record it — and on any refusal leave nothing
 * behind. The database work is {@link RegistryService}'s; this class keeps files and rows in step.
 */
@ApplicationScoped
public class PublishService {
    private static final Logger LOG = Logger.getLogger(PublishService.class);
    /** Concurrent first publishes of one model race to create it; the loser retries once it exists. */
    private static final int MAX_ATTEMPTS = 3;

    @Inject
    ArtifactStore store;

    @Inject
    ModelInspector inspector;

    @Inject
    RegistryService registry;

    @Inject
    ContinuumConfig config;

    public RegistryService.Recorded publish(String name, String version, InputStream body, long contentLength,
                                            String author) {
        Names.id("name", name);
        Names.id("version", version);
        long max = config.registry().maxArtifactSize().asLongValue();
        if (contentLength > max) {
            throw new PayloadTooLargeException(max, "continuum.registry.max-artifact-size");
        }
        Upload upload = store.receive(body, max);
        ModelSummary summary;
        try {
            if (upload.sizeBytes() == 0) {
                throw new UnprocessableException("invalid-model", "body", "the body is empty; send the ONNX file's bytes");
            }
            summary = inspector.inspect(upload.tempFile());
        } catch (RuntimeException e) {
            store.discard(upload);
            throw e;
        }
        return store.locked(upload.sha256(), () -> {
            store.commit(upload);
            try {
                RegistryService.Recorded r = record(name, version, upload, summary, author);
                if (r.created()) {
                    LOG.infof("published %s:%s (sha256 %s, %d bytes) by %s", name, version, upload.sha256(),
                            upload.sizeBytes(), author);
                }
                return r;
            } catch (RuntimeException e) {
                if (!registry.isArtifactReferenced(upload.sha256())) {
                    store.delete(upload.sha256());
                }
                throw e;
            }
        });
    }

    private RegistryService.Recorded record(String name, String version, Upload upload, ModelSummary summary,
                                            String author) {
        for (int attempt = 1; ; attempt++) {
            try {
                return registry.recordVersion(name, version, upload.sha256(), upload.sizeBytes(), summary, author);
            } catch (PersistenceException e) {
                if (attempt >= MAX_ATTEMPTS || !isConstraintViolation(e)) {
                    throw e;
                }
                LOG.debugf("publish %s:%s raced another writer (%s); retrying", name, version, e.getMessage());
            }
        }
    }

    public void deleteVersion(String name, String version) {
        collect(List.of(registry.deleteVersion(name, version)));
    }

    public void deleteModel(String name, String ifMatch) {
        collect(registry.deleteModel(name, ifMatch));
    }

    /** Removes the files of digests no version references any more. */
    private void collect(List<String> digests) {
        for (String sha : digests) {
            store.locked(sha, () -> {
                if (!registry.isArtifactReferenced(sha)) {
                    store.delete(sha);
                }
                return null;
            });
        }
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof jakarta.persistence.OptimisticLockException) {
                return true;
            }
        }
        return false;
    }
}
