package dev.continuum.controller.inference;

import dev.continuum.oip.OipException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded concurrency for inference: at most {@code maxConcurrent} runs at once, each on a compute
 * thread of its own, and at most {@code maxQueue} more requests admitted to wait for one. A request
 * beyond that, or one that waited longer than {@code queueTimeout}, is refused with an
 * {@link Overloaded} (503). Runs stay on the same few threads, so each model session keeps at most
 * {@code maxConcurrent} per-thread work areas.
 */
final class AdmissionLimiter implements AutoCloseable {
    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    private final int maxConcurrent;
    private final int maxQueue;
    private final Duration queueTimeout;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final ThreadPoolExecutor pool;

    /** A refusal for overload: a 503 whose message names the model version and the limit. */
    static final class Overloaded extends RuntimeException {
        Overloaded(String message) {
            super(message);
        }

        OipException toOip() {
            return new OipException(503, getMessage());
        }
    }

    /** A request's place among the admitted ones; closing it gives the place back. */
    final class Admission implements AutoCloseable {
        private boolean closed;

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                admitted.decrementAndGet();
            }
        }
    }

    /** What a run returned and how long it waited for a compute thread. */
    record Ran<T>(T value, long queueNanos) {
    }

    AdmissionLimiter(int maxConcurrent, int maxQueue, Duration queueTimeout) {
        if (maxConcurrent < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("need maxConcurrent >= 1 and maxQueue >= 0, got " + maxConcurrent + " and "
                    + maxQueue);
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
        this.queueTimeout = queueTimeout;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "inference-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Admits a request for {@code what} (e.g. {@code model 'lenet' version '1'}) or refuses it. */
    Admission admit(String what) {
        if (admitted.incrementAndGet() > maxConcurrent + maxQueue) {
            admitted.decrementAndGet();
            throw new Overloaded("cloud inference is at its limit: " + what + " cannot be admitted while "
                    + maxConcurrent + " inferences run and " + maxQueue + " wait (continuum.inference.max-concurrent="
                    + maxConcurrent + ", max-queue=" + maxQueue + "); retry later");
        }
        return new Admission();
    }

    /**
     * Runs {@code work} on a compute thread once one is free and waits for it. Exceptions of the work
     * are rethrown as they are (unchecked) or wrapped in an {@link IllegalStateException} (checked).
     */
    <T> Ran<T> run(Admission admission, String what, Callable<T> work) {
        Job<T> job = new Job<>(work);
        pool.execute(job);
        try {
            if (!job.started.await(queueTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    && job.state.compareAndSet(QUEUED, ABANDONED)) {
                throw new Overloaded("cloud inference is at its limit: " + what + " waited " + queueTimeout.toMillis()
                        + " ms for one of " + maxConcurrent + " compute threads (continuum.inference.queue-timeout); "
                        + "retry later");
            }
            T value = job.result.get();
            return new Ran<>(value, job.startedNanos - job.submittedNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.state.compareAndSet(QUEUED, ABANDONED);
            throw new Overloaded("interrupted while " + what + " waited for a compute thread");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Runs in progress now. */
    int running() {
        return running.get();
    }

    /** Admitted requests not running (parsing, loading or waiting for a compute thread). */
    int waiting() {
        return Math.max(0, admitted.get() - running.get());
    }

    /** Runs handed to the compute threads and not started yet (including ones their callers gave up on). */
    int queuedJobs() {
        return pool.getQueue().size();
    }

    int maxConcurrent() {
        return maxConcurrent;
    }

    int maxQueue() {
        return maxQueue;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private final class Job<T> implements Runnable {
        final Callable<T> work;
        final AtomicInteger state = new AtomicInteger(QUEUED);
        final CountDownLatch started = new CountDownLatch(1);
        final CompletableFuture<T> result = new CompletableFuture<>();
        final long submittedNanos = System.nanoTime();
        volatile long startedNanos;

        Job(Callable<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, STARTED)) {
                return; // its caller stopped waiting
            }
            startedNanos = System.nanoTime();
            running.incrementAndGet();
            started.countDown();
            T value = null;
            Throwable failure = null;
            try {
                value = work.call();
            } catch (Throwable t) {
                failure = t;
            }
            running.decrementAndGet();
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        }
    }
}
