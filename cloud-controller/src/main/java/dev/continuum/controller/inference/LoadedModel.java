package dev.continuum.controller.inference;

import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model artifact loaded into the tensor engine with its session. Reference counted: the cache
 * holds one reference while the model is cached and every request one while it uses the model, so
 * an eviction never closes a session under a request.
 */
final class LoadedModel {
    private final String sha256;
    private final long sizeBytes;
    private final Model model;
    private final Session session;
    private final int warmRuns;
    private final AtomicInteger refs = new AtomicInteger(1);

    LoadedModel(String sha256, long sizeBytes, Model model, Session session, int warmRuns) {
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.model = model;
        this.session = session;
        this.warmRuns = warmRuns;
    }

    String sha256() {
        return sha256;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    Model model() {
        return model;
    }

    Session session() {
        return session;
    }

    /** The runs on zeros the session made before it served (0: the model fails on zeros). */
    int warmRuns() {
        return warmRuns;
    }

    /** Takes a reference unless the model was evicted and released already. */
    boolean tryAcquire() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            session.close();
        }
    }

    /** A request's hold on a loaded model; close it when the request is done. */
    static final class Lease implements AutoCloseable {
        private final LoadedModel model;
        private boolean closed;

        Lease(LoadedModel model) {
            this.model = model;
        }

        LoadedModel model() {
            return model;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                model.release();
            }
        }
    }
}
