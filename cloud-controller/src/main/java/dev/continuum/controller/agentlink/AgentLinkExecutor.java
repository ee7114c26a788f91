package dev.continuum.controller.agentlink;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker threads for the agent-link gRPC services: their handlers are called on the event loop,
 * which must not block, while they use the database and read artifact files.
 *
 * <p>Two pools. Database work — enrolments, and every stream's messages through {@link #serial()} — runs
 * on {@code continuum.agent-link.database-workers} threads (default 12, below the JDBC pool's 20, which
 * the REST API, the reconciler and the telemetry writer share): when a thousand devices connect at once
 * their work queues here in memory instead of timing out on a JDBC connection (an enrolment storm of
 * 2,000 devices at 100/s did, with one thread per task). {@link #execute} is for work that waits on
 * the network (an artifact transfer paced by flow control) and grows as needed.
 */
@ApplicationScoped
public class AgentLinkExecutor implements Executor {
    private final AtomicInteger n = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agent-link-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService database;

    @Inject
    public AgentLinkExecutor(@ConfigProperty(name = "continuum.agent-link.database-workers", defaultValue = "12")
                             int databaseWorkers) {
        if (databaseWorkers < 1) {
            throw new IllegalArgumentException("continuum.agent-link.database-workers must be at least 1, got "
                    + databaseWorkers);
        }
        AtomicInteger d = new AtomicInteger();
        database = Executors.newFixedThreadPool(databaseWorkers, r -> {
            Thread t = new Thread(r, "agent-link-db-" + d.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs network-bound work (no database transaction held while it waits) on the growing pool. */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Runs database work on the bounded pool. */
    public Executor database() {
        return database;
    }

    /** An executor running its tasks one at a time, in submission order, on the database pool. */
    public Executor serial() {
        return new Executor() {
            private final Queue<Runnable> tasks = new ArrayDeque<>();
            private boolean running;

            @Override
            public void execute(Runnable task) {
                synchronized (this) {
                    tasks.add(task);
                    if (running) {
                        return;
                    }
                    running = true;
                }
                database.execute(this::drain);
            }

            private void drain() {
                while (true) {
                    Runnable next;
                    synchronized (this) {
                        next = tasks.poll();
                        if (next == null) {
                            running = false;
                            return;
                        }
                    }
                    try {
                        next.run();
                    } catch (RuntimeException e) {
                        org.jboss.logging.Logger.getLogger(AgentLinkExecutor.class).warn("agent-link task failed", e);
                    }
                }
            }
        };
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
        database.shutdownNow();
    }
}
