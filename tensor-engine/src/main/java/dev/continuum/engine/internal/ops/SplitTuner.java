package dev.continuum.engine.internal.ops;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
 * has {@link #SAMPLES} timed runs. While the JIT still compiles the kernels, runs get faster from
 * round to round (2.4 ms medians for mobilenet_small a second after its first run, against 0.4-0.5
 * ms later), and with two busy threads on two cores the compiler thread takes a core from a split
 * run's worker, which favours the candidates that split least (mobilenet_small chose 2^21 and 2^17
 * during its first seconds, 2^15 once warm). So rounds count only from the first in which the JIT
 * compiled for less than {@link #QUIET} of the round's time and whose least median is within
 * {@link #STEADY} of the round before's; from then on every round in which the JIT stayed as quiet
 * is pooled, and after {@link #POOLED_ROUNDS} of them the threshold is the candidate with the least
 * pooled median, or the largest one within {@link #TOLERANCE} of it (a split that gains nothing
 * keeps the worker free for other runs). With fewer rounds pooled the machine's phases decided:
 * two agreeing rounds picked 2^21 for mobilenet_small, four pooled ones 2^19 for resnet_small,
 * whose ranking held at 2^15 < 2^17 < 2^19 < 2^21 in blocks of 8, 64 and 1,000 runs alike
 * (206-231, 175-216, 161-190 us). After {@link #MAX_ROUNDS} rounds the rounds pooled so far
 * decide, or the last one if none was. Tuning costs no load time: its runs are ordinary runs, at
 * worst at the slowest candidate's speed for a quarter of them. {@link #RETUNE_NANOS} after each
 * choice the session tunes again the same way (its other runs keep the last choice), since the
 * machine's state when it tuned need not last.
 */
public final class SplitTuner {
    /** The thresholds tried, in units of {@link ExecContext#worthSplitting} work (flops for the GEMMs). */
    static final long[] CANDIDATES = {1L << 15, 1L << 17, 1L << 19, ExecContext.MIN_TASK_WORK_DEFAULT};
    /** How long a session runs before tuning starts. */
    static final long WARM_NANOS = 2_000_000_000L;
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
    /** How far apart two rounds' least medians may be for the runs to count as steady. */
    static final double STEADY = 0.10;
    /** The most of a round's time the JIT may spend compiling for the round to be pooled. */
    static final double QUIET = 0.02;
    /** Rounds pooled before the choice. */
    static final int POOLED_ROUNDS = 8;
    /** Rounds after which those pooled so far decide (the last one if none was). */
    static final int MAX_ROUNDS = 40;
    /** A run that tries no candidate. */
    public static final int NONE = -1;
    /**
     * How long a chosen threshold stands before the session tunes again, keeping it for the runs in
     * between and while it tunes: a session that tuned while the other core was busy (mobilenet_small
     * chose 2^21 in two of four runs, at 1.61-1.64 x ONNX Runtime's time against 1.32-1.43 with 2^15)
     * would otherwise keep that choice for its whole life.
     */
    static final long RETUNE_NANOS = 5L * 60 * 1_000_000_000L;
    /** Runs between two looks at the clock once a threshold is chosen. */
    static final int RETUNE_CHECK_RUNS = 1024;

    private final long initial;
    private final long warmNanos;
    private final long retuneNanos;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong firstRun = new AtomicLong();
    private final AtomicLong tuningStart = new AtomicLong(-1); // the run that started tuning
    private final long[][] times = new long[CANDIDATES.length][SAMPLES];
    private final int[] counts = new int[CANDIDATES.length];
    private final long[][] pooled = new long[CANDIDATES.length][POOLED_ROUNDS * SAMPLES];
    private int rounds; // guarded by this
    private int pooledRounds; // guarded by this
    private long lastLeast; // the least median of the round before; guarded by this
    private long lastRoundEnd; // System.nanoTime() when the round before ended (or tuning began); guarded by this
    private long lastCompileMillis; // the JIT's compilation time then; guarded by this
    private final LongSupplier compileMillis; // the JIT's total compilation time so far, -1 when unknown
    private volatile long chosen; // 0 until the first choice
    private volatile boolean tuning = true; // false from a choice until the next tuning starts
    private volatile long chosenAt; // System.nanoTime() of the last choice
    private int runsSinceCheck; // runs since the clock was last read, once chosen; races only delay a look

    /** @param initial the threshold until one is chosen */
    public SplitTuner(long initial) {
        this(initial, WARM_NANOS, RETUNE_NANOS, SplitTuner::jitCompileMillis);
    }

    SplitTuner(long initial, long warmNanos, LongSupplier compileMillis) {
        this(initial, warmNanos, RETUNE_NANOS, compileMillis);
    }

    SplitTuner(long initial, long warmNanos, long retuneNanos, LongSupplier compileMillis) {
        if (initial < 1) {
            throw new IllegalArgumentException("initial threshold must be at least 1, got " + initial);
        }
        this.initial = initial;
        this.warmNanos = warmNanos;
        this.retuneNanos = retuneNanos;
        this.compileMillis = compileMillis;
    }

    /** The JIT's total compilation time in milliseconds, or -1 where the JVM does not report it. */
    static long jitCompileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * What the next run tries, once per run: the index of the candidate it is timed for, or for a run
     * that settles a block {@code -2 - index}, or {@link #NONE}.
     */
    public int trial() {
        if (!tuning) {
            if (++runsSinceCheck < RETUNE_CHECK_RUNS) {
                return NONE;
            }
            runsSinceCheck = 0;
            if (System.nanoTime() - chosenAt < retuneNanos || !retune()) {
                return NONE;
            }
        }
        long n = runs.getAndIncrement();
        long now = System.nanoTime();
        if (firstRun.get() == 0 && firstRun.compareAndSet(0, now)) {
            return NONE;
        }
        if (n < WARM_RUNS || now - firstRun.get() < warmNanos) {
            return NONE;
        }
        if (tuningStart.get() < 0) {
            startTuning(n, now);
        }
        long t = Math.max(0, n - tuningStart.get());
        int candidate = (int) (t / BLOCK_RUNS % CANDIDATES.length);
        return t % BLOCK_RUNS < SETTLE_RUNS ? -2 - candidate : candidate;
    }

    /** Tunes again from the next run on once {@link #retuneNanos} have passed since the choice; false if not yet. */
    private synchronized boolean retune() {
        if (tuning) {
            return true; // another run started it
        }
        long now = System.nanoTime();
        if (now - chosenAt < retuneNanos) {
            return false;
        }
        Arrays.fill(counts, 0);
        rounds = 0;
        pooledRounds = 0;
        lastLeast = 0;
        tuningStart.set(-1); // the next trial starts the rounds, as the first time
        tuning = true;
        return true;
    }

    private synchronized void startTuning(long n, long now) {
        if (tuningStart.compareAndSet(-1, n)) {
            lastRoundEnd = now;
            lastCompileMillis = compileMillis.getAsLong();
        }
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
     * settle a block); the last sample of a round ends it, and the last steady round chooses.
     */
    public synchronized void record(int trial, long nanos) {
        if (trial < 0 || !tuning || counts[trial] >= SAMPLES) {
            return;
        }
        times[trial][counts[trial]++] = nanos;
        for (int c : counts) {
            if (c < SAMPLES) {
                return;
            }
        }
        Arrays.fill(counts, 0);
        rounds++;
        long now = System.nanoTime();
        long compiled = compileMillis.getAsLong();
        boolean quiet = compiled < 0 || lastCompileMillis < 0
                || (compiled - lastCompileMillis) * 1e6 <= QUIET * (now - lastRoundEnd);
        lastRoundEnd = now;
        lastCompileMillis = compiled;
        long[] medians = medians(times, SAMPLES);
        long least = Arrays.stream(medians).min().orElseThrow();
        boolean counts = quiet
                && (pooledRounds > 0 || lastLeast > 0 && Math.abs(least - lastLeast) <= STEADY * lastLeast);
        lastLeast = least;
        if (counts) {
            for (int c = 0; c < CANDIDATES.length; c++) {
                System.arraycopy(times[c], 0, pooled[c], pooledRounds * SAMPLES, SAMPLES);
            }
            pooledRounds++;
        }
        if (pooledRounds == POOLED_ROUNDS || rounds >= MAX_ROUNDS) {
            chosen = CANDIDATES[pick(pooledRounds > 0 ? medians(pooled, pooledRounds * SAMPLES) : medians)];
            chosenAt = System.nanoTime();
            tuning = false;
        }
    }

    /** The threshold chosen last, or 0 until the first choice. */
    public long chosen() {
        return chosen;
    }

    /** Each candidate's median of its first n times. */
    static long[] medians(long[][] times, int n) {
        long[] medians = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            long[] t = Arrays.copyOf(times[i], n);
            Arrays.sort(t);
            medians[i] = t[n / 2];
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
