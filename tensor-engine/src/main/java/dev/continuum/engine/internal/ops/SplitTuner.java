package dev.continuum.engine.internal.ops;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses a multi-threaded session's split threshold ({@link ExecContext#minTaskWork}) by timing the
 * session's own runs. Below the threshold a kernel runs on the calling thread alone; what a split
 * gains depends on the model's layers (how much data crosses between the cores, how well each
 * kernel's halves balance) and on the machine, and no single figure fits: on the AMD EPYC
 * (family 25), in-process at 2 threads, 2^15 against 2^19 made mobilenet_small 523 -> 408 us and
 * resnet_small 192 -> 170 us, lstm_classifier 22.7 -> 18.2 us, while gru_classifier went 10.0 ->
 * 10.7 us and mobilenet_v2 and resnet18 moved by 1-2 %. A proxy measured once per machine (the
 * cost of a split of no work, 0.2-0.4 us there) put the threshold at 2^18.5-2^19.2, the slowest
 * choice for both small models.
 *
 * <p>So a session starts at the default threshold, and once it has run for {@link #WARM_NANOS}
 * and {@link #WARM_RUNS} runs its runs take the {@link #CANDIDATES} in turn, in blocks of
 * {@link #BLOCK_RUNS} runs, so that a change in the machine's speed weighs on each alike. The
 * first {@link #SETTLE_RUNS} runs of a block are not timed: a threshold that splits differently
 * from the last one moves the intermediate values between the cores' caches (with the candidate
 * changing every run, mobilenet_small chose 2^21, its slowest). A round ends when each candidate
 * has {@link #SAMPLES} timed runs; its pick is the candidate with the least median time, or the
 * largest one within {@link #TOLERANCE} of it (a split that gains nothing keeps the worker free for
 * other runs). The threshold is settled when two rounds in a row pick the same candidate at
 * medians within {@link #STEADY} of each other: while the JIT still compiles the kernels, runs
 * get faster from round to round (2.4 ms medians for mobilenet_small a second after its first
 * run, against 0.4-0.5 ms later), and a pick then says nothing. After {@link #MAX_ROUNDS} the
 * last round's pick stands. Tuning costs no load time: its runs are ordinary runs, at worst at
 * the slowest candidate's speed for a quarter of them.
 */
public final class SplitTuner {
    /** The thresholds tried, in units of {@link ExecContext#worthSplitting} work (flops for the GEMMs). */
    static final long[] CANDIDATES = {1L << 15, 1L << 17, 1L << 19, ExecContext.MIN_TASK_WORK_DEFAULT};
    /** How long a session runs before tuning starts. */
    static final long WARM_NANOS = 1_000_000_000L;
    /** How many runs a session makes before tuning starts. */
    static final int WARM_RUNS = 16;
    /** Consecutive runs of one candidate. */
    static final int BLOCK_RUNS = 8;
    /** Runs at the start of a block that are not timed. */
    static final int SETTLE_RUNS = 2;
    /** Timed runs per candidate in a round: three blocks. */
    static final int SAMPLES = 3 * (BLOCK_RUNS - SETTLE_RUNS);
    /** How much slower than the least median a larger threshold may be and still be picked. */
    static final double TOLERANCE = 0.02;
    /** How far apart two rounds' medians of the same pick may be for the threshold to settle. */
    static final double STEADY = 0.10;
    /** Rounds after which the last pick stands. */
    static final int MAX_ROUNDS = 20;
    /** A run that tries no candidate. */
    public static final int NONE = -1;

    private final long initial;
    private final long warmNanos;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong firstRun = new AtomicLong();
    private final AtomicLong tuningStart = new AtomicLong(-1); // the run that started tuning
    private final long[][] times = new long[CANDIDATES.length][SAMPLES];
    private final int[] counts = new int[CANDIDATES.length];
    private int rounds; // guarded by this
    private int lastPick = -1; // guarded by this
    private long lastMedian; // guarded by this
    private volatile long chosen; // 0 while tuning

    /** @param initial the threshold until one is chosen */
    public SplitTuner(long initial) {
        this(initial, WARM_NANOS);
    }

    SplitTuner(long initial, long warmNanos) {
        if (initial < 1) {
            throw new IllegalArgumentException("initial threshold must be at least 1, got " + initial);
        }
        this.initial = initial;
        this.warmNanos = warmNanos;
    }

    /**
     * What the next run tries, once per run: the index of the candidate it is timed for, or for a run
     * that settles a block {@code -2 - index}, or {@link #NONE}.
     */
    public int trial() {
        if (chosen != 0) {
            return NONE;
        }
        long n = runs.getAndIncrement();
        long now = System.nanoTime();
        if (firstRun.get() == 0 && firstRun.compareAndSet(0, now)) {
            return NONE;
        }
        if (n < WARM_RUNS || now - firstRun.get() < warmNanos) {
            return NONE;
        }
        tuningStart.compareAndSet(-1, n);
        long t = Math.max(0, n - tuningStart.get());
        int candidate = (int) (t / BLOCK_RUNS % CANDIDATES.length);
        return t % BLOCK_RUNS < SETTLE_RUNS ? -2 - candidate : candidate;
    }

    /** The threshold for a run of this trial: its candidate, else the chosen threshold, else the initial one. */
    public long threshold(int trial) {
        if (trial >= 0) {
            return CANDIDATES[trial];
        }
        if (trial <= -2) {
            return CANDIDATES[-2 - trial];
        }
        long c = chosen;
        return c != 0 ? c : initial;
    }

    /**
     * Records how long a timed run of this trial took (nothing for {@link #NONE} and the runs that
     * settle a block); the last sample of a round picks a candidate, and may settle the threshold.
     */
    public synchronized void record(int trial, long nanos) {
        if (trial < 0 || chosen != 0 || counts[trial] >= SAMPLES) {
            return;
        }
        times[trial][counts[trial]++] = nanos;
        for (int c : counts) {
            if (c < SAMPLES) {
                return;
            }
        }
        long[] medians = medians(times);
        int pick = pick(medians);
        rounds++;
        boolean steady = pick == lastPick && Math.abs(medians[pick] - lastMedian) <= STEADY * lastMedian;
        if (steady || rounds >= MAX_ROUNDS) {
            chosen = CANDIDATES[pick];
        }
        lastPick = pick;
        lastMedian = medians[pick];
        Arrays.fill(counts, 0);
    }

    /** The threshold chosen, or 0 while tuning. */
    public long chosen() {
        return chosen;
    }

    static long[] medians(long[][] times) {
        long[] medians = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            long[] t = times[i].clone();
            Arrays.sort(t);
            medians[i] = t[t.length / 2];
        }
        return medians;
    }

    /** The largest candidate whose median time is within {@link #TOLERANCE} of the least. */
    static int pick(long[] medians) {
        long least = Arrays.stream(medians).min().orElseThrow();
        for (int i = medians.length - 1; i > 0; i--) {
            if (medians[i] <= least * (1 + TOLERANCE)) {
                return i;
            }
        }
        return 0;
    }
}
