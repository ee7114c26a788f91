package dev.continuum.engine.internal.ops;

import java.util.Arrays;

/**
 * The work below which a kernel does not split across threads on this machine, from what a split
 * of no work costs with the {@link WorkerPool}'s hand-off. A split costs that hand-off and the data
 * one core wrote crossing to the other (the phases a caller filled, the half of an output the next
 * layer reads); both go at the latency between the cores, so the threshold scales with it.
 *
 * <p>Two machines set the scale. On an AMD EPYC (family 26) a split of no work took 1.2-1.3 µs and
 * {@link ExecContext#MIN_TASK_WORK} 2^21 was right: at 2^19 both small models ran 10-40 % slower on
 * 2 threads. On an AMD EPYC (family 25) it takes 0.16-0.37 µs and lower thresholds pay: in-process at 2
 * threads, 2^21 against 2^19 and 2^18, mobilenet_small 518-548 against 499-502 µs, resnet_small
 * 168-173 against 154-155 µs, mobilenet_v2 and resnet18 4-5 % faster. So the threshold is 2^21
 * times the split's cost over 1.25 µs, between {@link #FLOOR} and {@link ExecContext#MIN_TASK_WORK}.
 *
 * <p>The first worker pool measures it, once per JVM, in its constructor,
 * with a pool of its own: {@link #WARM_SPLITS} splits for the JIT to compile the hand-off (about
 * 1 µs a split interpreted, 0.2 µs compiled on the family 25 machine), then the median of
 * {@link #MEASURED_SPLITS}; 20-70 ms in all, paid by the first 2-thread session of a JVM. Without
 * the warm-up the splits ran interpreted and gave 2^19.5-2^21 as often as 2^18.5. It is not measured
 * in the background: there it would compete with the first session's runs for both cores, and a
 * busy core makes splits look dear. With one CPU, when the worker does not take its chunk, or
 * when the measurement runs past {@link #MAX_MEASURING_NANOS}, the threshold stays
 * {@link ExecContext#MIN_TASK_WORK}.
 * The system property {@value ExecContext#MIN_TASK_WORK_PROPERTY} skips the measurement and sets
 * the threshold.
 */
final class SplitThreshold {
    /** The least threshold: below it no machine measured has gained from a split. */
    static final long FLOOR = 1L << 18;
    /** What a split of no work cost where {@link ExecContext#MIN_TASK_WORK} was right. */
    static final double REFERENCE_SPLIT_NANOS = 1250;

    static final int WARM_SPLITS = 10_000;
    static final int MEASURED_SPLITS = 2_000;
    /**
     * The longest the measurement may take: where the caller and the worker share one core (a
     * 2-thread session on a 1-CPU device), a hand-off waits for the scheduler, and 12,000 of them
     * would take seconds; there splitting never pays, and the threshold stays the default.
     */
    static final long MAX_MEASURING_NANOS = 250_000_000L;

    private static volatile long current = ExecContext.MIN_TASK_WORK;
    private static boolean measured; // guarded by SplitThreshold.class

    private SplitThreshold() {
    }

    /** The threshold of every pool ({@link ExecContext#MIN_TASK_WORK} before the measurement). */
    static long current() {
        return current;
    }

    /**
     * Measures the threshold on the calling thread with a pool of its own, unless it has been
     * measured (or the system property sets it); returns when it is known.
     */
    static void measureOnce() {
        if (System.getProperty(ExecContext.MIN_TASK_WORK_PROPERTY) != null) {
            return;
        }
        synchronized (SplitThreshold.class) {
            if (measured) {
                return;
            }
            if (Runtime.getRuntime().availableProcessors() > 1) {
                try (WorkerPool pool = new WorkerPool(1, WorkerPool.DEFAULT_SPIN_NANOS, false)) {
                    current = fromSplitNanos(splitNanos(pool, MAX_MEASURING_NANOS));
                }
            }
            measured = true;
        }
    }

    /** The threshold for a split of no work costing {@code nanos}. */
    static long fromSplitNanos(double nanos) {
        if (!(nanos > 0)) {
            return ExecContext.MIN_TASK_WORK; // nothing measured (a clock that did not move, or NaN)
        }
        double scaled = ExecContext.MIN_TASK_WORK * nanos / REFERENCE_SPLIT_NANOS;
        return (long) Math.max(FLOOR, Math.min(ExecContext.MIN_TASK_WORK, scaled));
    }

    /**
     * The median time of a split of no work into two chunks, one on the pool's worker, after
     * {@link #WARM_SPLITS}; NaN when the worker did not take its chunk (another split held it) or
     * the splits took longer than {@code maxNanos} in all.
     */
    static double splitNanos(WorkerPool pool, long maxNanos) {
        Thread caller = Thread.currentThread();
        boolean[] handedOver = {true};
        ExecContext.RangeBody none = (from, to) -> {
            if (from > 0 && Thread.currentThread() == caller) {
                handedOver[0] = false; // the chunk ran here: no hand-off was measured
            }
        };
        long[] t = new long[MEASURED_SPLITS];
        long start = System.nanoTime();
        for (int i = -WARM_SPLITS; i < t.length; i++) {
            long t0 = System.nanoTime();
            if (t0 - start > maxNanos) {
                return Double.NaN;
            }
            pool.run(2, 2, none);
            if (i >= 0) {
                t[i] = System.nanoTime() - t0;
            }
        }
        if (!handedOver[0]) {
            return Double.NaN;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
