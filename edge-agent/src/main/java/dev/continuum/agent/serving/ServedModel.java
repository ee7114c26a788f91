package dev.continuum.agent.serving;

import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version and its session. Reference counted: the server holds one reference while
 * the version is current and every request holds one while it runs, so a swap never closes a session
 * under a request; the session closes when the last reference is released.
 */
public final class ServedModel {
    private final String name;
    private final String version;
    private final String sha256;
    private final Model model;
    private final Session session;
    private final AtomicInteger refs = new AtomicInteger(1);

    public ServedModel(String name, String version, String sha256, Model model, Session session) {
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.model = model;
        this.session = session;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public Model model() {
        return model;
    }

    public Session session() {
        return session;
    }

    /** Takes a reference unless the version was retired and released already. */
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

    /** Open references (the server's own plus requests in flight). */
    public int references() {
        return refs.get();
    }
}
