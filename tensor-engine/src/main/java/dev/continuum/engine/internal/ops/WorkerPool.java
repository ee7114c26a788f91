package dev.continuum.engine.internal.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A session's intra-op threads: a fixed team of workers, each taking one chunk at a time from the
 * thread that splits a kernel. A worker that finishes a chunk spins for {@code spinNanos} before it
 * parks, so the next kernel of the same run (typically microseconds later) hands it work without
 * a wake-up; the splitting thread likewise spins before it parks while it waits for a chunk.
 * A fork/join pool parks its idle workers at once, and waking one costs tens of microseconds, as
 * much as the half of a small convolution it would take over.
 *
 * <p>Several threads may split work at once (a session serves concurrent runs, a chunk may split
 * again): a chunk goes to a worker only when that worker is idle, otherwise the splitting thread
 * runs it itself.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker, or a waiting caller, spins before it parks: about the gap between two kernels of a run. */
    public static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** A worker's hand-off state: no chunk yet, a chunk to run, the chunk run. */
    private static final int IDLE = 0;
    private static final int READY = 1;
    private static final int DONE = 2;
    /** A worker's claim: free, held by a splitting thread, the worker stopped. */
    private static final int FREE = 0;
    private static final int HELD = 1;
    private static final int STOPPED = 2;

    private final Worker[] workers;
    private final long spinNanos;
    private volatile boolean closed;

    public WorkerPool(int workers) {
        this(workers, DEFAULT_SPIN_NANOS);
    }

    public WorkerPool(int workers, long spinNanos) {
        if (workers < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one worker, got " + workers);
        }
        this.spinNanos = Math.max(0, spinNanos);
        this.workers = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            Worker w = new Worker();
            Thread t = new Thread(w, "continuum-engine-worker-" + i);
            t.setDaemon(true);
            w.thread = t;
            this.workers[i] = w;
            t.start();
        }
    }

    public int size() {
        return workers.length;
    }

    /**
     * Runs {@code body} over {@code chunks} contiguous pieces of {@code [0, n)}: piece 0 on the calling
     * thread, the others on idle workers (or on the calling thread when none is idle). Returns when
     * every piece is done; rethrows the first failure of any piece.
     */
    void run(int n, int chunks, ExecContext.RangeBody body) {
        Worker[] claimed = new Worker[chunks - 1];
        int next = 0;
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            int i = closed ? -1 : claim(next);
            if (i < 0) {
                continue; // run below, on this thread
            }
            next = i + 1;
            Worker w = workers[i];
            w.failure = null;
            w.body = body;
            w.from = from;
            w.to = to;
            w.state = READY;
            if (w.parked) {
                LockSupport.unpark(w.thread);
            }
            claimed[c - 1] = w;
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
            for (int c = 1; c < chunks; c++) {
                if (claimed[c - 1] == null) {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
        for (Worker w : claimed) {
            if (w != null) {
                Throwable e = await(w);
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** The index of a free worker from {@code from} on, now held by the caller; -1 when none is free. */
    private int claim(int from) {
        for (int i = from; i < workers.length; i++) {
            if (workers[i].claim.compareAndSet(FREE, HELD)) {
                return i;
            }
        }
        return -1;
    }

    /** Waits for a claimed worker's chunk, hands the worker back, and returns what the chunk threw, if anything. */
    private Throwable await(Worker w) {
        long deadline = System.nanoTime() + spinNanos;
        while (w.state != DONE) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
                continue;
            }
            w.waiter = Thread.currentThread();
            if (w.state != DONE) {
                LockSupport.park(this);
            }
            w.waiter = null;
        }
        Throwable e = w.failure;
        w.claim.set(FREE); // state stays DONE: the worker waits for READY, and the next holder writes it
        return e;
    }

    /** Stops the workers once they finish what they run; later splits run on the calling thread. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    /**
     * One worker. Its hand-off line (state, chunk, failure) is written once each way: by the holder
     * (chunk, then READY) and by the worker (failure, then DONE); who holds the worker is a separate
     * object that only splitting threads touch. With state and claim in one AtomicInteger written
     * four times per chunk, a split of no work cost 1.8-2.0 us on a machine whose cores take
     * 0.45 us for a round trip; like this, 1.2-1.3 us.
     */
    private final class Worker implements Runnable {
        final AtomicInteger claim = new AtomicInteger(FREE);
        volatile int state = IDLE;
        Thread thread;
        volatile boolean parked;
        volatile Thread waiter;
        ExecContext.RangeBody body;
        int from;
        int to;
        Throwable failure;

        @Override
        public void run() {
            while (true) {
                long deadline = System.nanoTime() + spinNanos;
                while (state != READY) {
                    if (closed && claim.compareAndSet(FREE, STOPPED)) {
                        return; // a worker held before the close still gets its chunk
                    }
                    if (System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (state != READY && !closed) {
                        LockSupport.park(WorkerPool.this);
                    }
                    parked = false;
                }
                ExecContext.RangeBody b = body;
                body = null; // the chunk's captures are not kept until the next one
                try {
                    b.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                }
                state = DONE;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
