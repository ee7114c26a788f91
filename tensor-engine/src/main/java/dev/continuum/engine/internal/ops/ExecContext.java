package dev.continuum.engine.internal.ops;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a running kernel may use besides its inputs: the session's thread budget for intra-op
 * parallelism. With one thread, {@link #parallelFor} runs inline.
 */
public final class ExecContext {
    private final WorkerPool pool;
    private final int threads;
    private final Arena arena;
    private final long minTaskWork;

    public ExecContext(WorkerPool pool, int threads) {
        this(pool, threads, null);
    }

    /**
     * @param arena where kernels take arrays for their outputs and scratch; null for plain allocation
     */
    public ExecContext(WorkerPool pool, int threads, Arena arena) {
        this(pool, threads, arena, MIN_TASK_WORK);
    }

    /**
     * @param minTaskWork the work below which a kernel runs on the calling thread alone (a session's
     *     {@link SplitTuner} chooses it)
     */
    public ExecContext(WorkerPool pool, int threads, Arena arena, long minTaskWork) {
        if (minTaskWork < 1) {
            throw new IllegalArgumentException("minTaskWork must be at least 1, got " + minTaskWork);
        }
        this.pool = pool;
        this.threads = Math.max(1, threads);
        this.arena = arena;
        this.minTaskWork = minTaskWork;
    }

    /**
     * One thread, no arena: for constant folding, tests, and kernels that run a piece of their work on
     * the calling thread. One shared instance: it holds nothing that changes.
     */
    public static ExecContext serial() {
        return SERIAL;
    }

    /** A float array of length n for an output or scratch; its contents are undefined. */
    public float[] floats(int n) {
        return arena == null ? new float[n] : arena.floats(n);
    }

    /** A float array of length n filled with zeros. */
    public float[] floatsZeroed(int n) {
        return arena == null ? new float[n] : arena.floatsZeroed(n);
    }

    /** Returns a scratch array taken from {@link #floats} once the kernel is done with it. */
    public void recycle(Object array) {
        if (arena != null) {
            arena.recycle(array);
        }
    }

    public Arena arena() {
        return arena;
    }

    public int threads() {
        return threads;
    }

    /** The system property that sets {@link #MIN_TASK_WORK} and every session's threshold, for benchmarks. */
    public static final String MIN_TASK_WORK_PROPERTY = "continuum.engine.min-task-work";

    /**
     * Work (about one flop or one element touched per unit) below which a chunk is not worth handing
     * to another thread where a hand-off is slow: handing it over and joining it costs a few
     * microseconds even with the {@link WorkerPool}'s spinning workers (tens when a worker has parked),
     * about what a core does with this much work. At 2^19 the 1-5 MFLOP convolutions of the small
     * models split and ran slower on 2 threads than on 1 on such a machine (docs/engine/performance.md).
     * A session's {@link SplitTuner} then chooses the threshold of its runs by timing them; elementwise
     * kernels split by this one as it is. {@value #MIN_TASK_WORK_PROPERTY} sets both and turns the
     * tuning off, for benchmarks.
     */
    public static final long MIN_TASK_WORK;

    /** {@link #MIN_TASK_WORK} without the system property. */
    static final long MIN_TASK_WORK_DEFAULT = 1L << 21;

    /** What is wrong with the system property's value, or null (unset or good); read once, as MIN_TASK_WORK. */
    private static final String MIN_TASK_WORK_PROBLEM;

    private static final boolean MIN_TASK_WORK_SET;

    static {
        String property = System.getProperty(MIN_TASK_WORK_PROPERTY);
        long value = MIN_TASK_WORK_DEFAULT;
        String problem = null;
        try {
            value = minTaskWork(property);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage(); // refused when a session is made, not here: a failed class init is opaque
        }
        MIN_TASK_WORK = value;
        MIN_TASK_WORK_PROBLEM = problem;
        MIN_TASK_WORK_SET = property != null;
    }

    /** {@link #serial()}'s context; made after MIN_TASK_WORK, which its constructor reads. */
    private static final ExecContext SERIAL = new ExecContext(null, 1, null);

    /** Whether the system property sets the threshold (and sessions do not tune it). */
    public static boolean minTaskWorkSet() {
        return MIN_TASK_WORK_SET;
    }

    /**
     * Refuses a bad value of the system property, naming it; a session checks when it is made (until
     * then kernels split by the default).
     *
     * @throws IllegalArgumentException when the property is set to anything but a whole number from 1 to 2^31 - 1
     */
    public static void checkMinTaskWorkProperty() {
        if (MIN_TASK_WORK_PROBLEM != null) {
            throw new IllegalArgumentException(MIN_TASK_WORK_PROBLEM);
        }
    }

    /** {@link #MIN_TASK_WORK} for the system property's value (null when unset), naming a bad one. */
    static long minTaskWork(String property) {
        if (property == null) {
            return MIN_TASK_WORK_DEFAULT;
        }
        long value;
        try {
            value = Long.parseLong(property.strip());
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("system property " + MIN_TASK_WORK_PROPERTY + " must be a whole number"
                    + " of work units from 1 to " + Integer.MAX_VALUE + ", got '" + property + "'");
        }
        return value;
    }

    /** Something to run over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * {@link #parallelFor} where each index costs about {@code workPerIndex} units: chunks carry at
     * least {@link #minTaskWork()}, so work below twice that runs on the calling thread alone.
     */
    public void parallelForWork(int n, long workPerIndex, RangeBody body) {
        long grain = (minTaskWork + Math.max(1, workPerIndex) - 1) / Math.max(1, workPerIndex);
        parallelFor(n, (int) Math.min(Integer.MAX_VALUE, grain), body);
    }

    /** Something to run for one task, on the thread of one of {@link #parallelTasks}' lanes. */
    @FunctionalInterface
    public interface TaskBody {
        void run(int task, int lane);
    }

    /**
     * Runs tasks {@code [0, tasks)} on {@code lanes} threads (at most {@link #threads()}): lane
     * {@code i} starts at the front of the i-th contiguous share and runs it in order; a lane that
     * runs out takes tasks from the back of another lane's share. Neighbouring tasks stay on one
     * thread as with {@link #parallelFor}'s halves (tasks that read neighbouring data keep it in
     * that core's cache), while a core that is slower for the moment (interrupts, another process)
     * no longer holds the other one waiting. {@code lane} tells the body whose scratch to use: a
     * lane runs on one thread at a time.
     */
    public void parallelTasks(int tasks, int lanes, TaskBody body) {
        int t = Math.min(Math.min(lanes, threads), tasks);
        if (t <= 1 || pool == null) {
            for (int task = 0; task < tasks; task++) {
                body.run(task, 0);
            }
            return;
        }
        // per lane, the share still to run: its next task (low 32 bits) and its end (high 32 bits)
        AtomicLongArray shares = new AtomicLongArray(t);
        for (int i = 0; i < t; i++) {
            shares.set(i, (long) (tasks * (i + 1L) / t) << 32 | tasks * (long) i / t);
        }
        parallelFor(t, 1, (l0, l1) -> {
            for (int lane = l0; lane < l1; lane++) {
                for (int task; (task = take(shares, lane, true)) >= 0; ) {
                    body.run(task, lane);
                }
                for (int other = (lane + 1) % t; other != lane; other = (other + 1) % t) {
                    for (int task; (task = take(shares, other, false)) >= 0; ) {
                        body.run(task, lane);
                    }
                }
            }
        });
    }

    /**
     * Tasks per thread of a product or a layer split by {@link #parallelTasks}: enough that the core
     * which finishes first takes over a fair part of the other's share. Of the two vCPUs of the AMD
     * EPYC machines in docs/engine/performance.md, one is at times 30-45 % slower while both are busy
     * (the same one-layer run pinned to each, side by side: 1,480 against 2,118 us, 1,449 against
     * 2,030), and with fixed halves the other waits.
     */
    public static final int TASKS_PER_THREAD = 8;

    /**
     * {@link #parallelFor}{@code (n, 1, body)} with {@link #parallelTasks}' stealing: {@code [0, n)} in
     * up to {@link #TASKS_PER_THREAD} contiguous ranges per thread, a thread's ranges neighbours.
     */
    public void parallelRanges(int n, RangeBody body) {
        int tasks = Math.min(n, TASKS_PER_THREAD * threads);
        parallelTasks(tasks, threads, (task, lane) -> body.run((int) ((long) n * task / tasks),
                (int) ((long) n * (task + 1) / tasks)));
    }

    /** A task of a lane's share, taken from its front or its back; -1 when the share is empty. */
    private static int take(AtomicLongArray shares, int lane, boolean front) {
        while (true) {
            long s = shares.get(lane);
            int next = (int) s;
            int end = (int) (s >>> 32);
            if (next >= end) {
                return -1;
            }
            if (shares.compareAndSet(lane, s, front ? s + 1 : s - (1L << 32))) {
                return front ? next : end - 1;
            }
        }
    }

    /** The work a chunk carries at least: the threshold this context was made with. */
    public long minTaskWork() {
        return minTaskWork;
    }

    /** True when work of this size is worth splitting across the context's threads. */
    public boolean worthSplitting(long work) {
        return threads > 1 && work >= 2 * minTaskWork;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks
     * of at least {@code grain} indices each, and returns when all are done.
     */
    public void parallelFor(int n, int grain, RangeBody body) {
        if (!splits(n, grain)) {
            body.run(0, n);
            return;
        }
        pool.run(n, chunks(n, grain), body);
    }

    /**
     * Whether {@link #parallelFor} with these arguments hands chunks to other threads; where it does not,
     * a kernel can run its loop itself and build no body to hand over (nothing allocated per call).
     */
    public boolean splits(int n, int grain) {
        return pool != null && chunks(n, grain) > 1;
    }

    private int chunks(int n, int grain) {
        return Math.min(threads, Math.max(1, n / Math.max(1, grain)));
    }
}
