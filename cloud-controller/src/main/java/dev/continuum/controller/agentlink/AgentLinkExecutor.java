package dev.continuum.controller.agentlink;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker threads for the agent-link gRPC services: their handlers are called on the event loop,
 * which must not block, while they use the database and read artifact files. {@link #serial()} gives
 * one stream an executor that runs its tasks in order.
 */
@ApplicationScoped
public class AgentLinkExecutor implements Executor {
    private final AtomicInteger n = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agent-link-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** An executor running its tasks one at a time, in submission order, on this pool. */
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
                pool.execute(this::drain);
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
    }
}
