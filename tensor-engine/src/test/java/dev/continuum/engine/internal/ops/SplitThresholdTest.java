package dev.continuum.engine.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The split threshold derived from what a split of no work costs, and its measurement. */
class SplitThresholdTest {

    @Test
    void theThresholdScalesWithTheSplitsCostBetweenTheBounds() {
        long ceiling = ExecContext.MIN_TASK_WORK;
        assertThat(SplitThreshold.fromSplitNanos(SplitThreshold.REFERENCE_SPLIT_NANOS)).isEqualTo(ceiling);
        assertThat(SplitThreshold.fromSplitNanos(SplitThreshold.REFERENCE_SPLIT_NANOS / 2))
                .isEqualTo(Math.max(SplitThreshold.FLOOR, ceiling / 2));
        assertThat(SplitThreshold.fromSplitNanos(5_000)).isEqualTo(ceiling); // slower than the reference
        assertThat(SplitThreshold.fromSplitNanos(1)).isEqualTo(Math.min(SplitThreshold.FLOOR, ceiling));
    }

    @Test
    void nothingMeasuredKeepsTheDefault() {
        for (double nanos : new double[] {Double.NaN, 0, -3, Double.NEGATIVE_INFINITY}) {
            assertThat(SplitThreshold.fromSplitNanos(nanos)).as("%s ns", nanos).isEqualTo(ExecContext.MIN_TASK_WORK);
        }
    }

    @Test
    void aFreeWorkerGivesAFiniteSplitCost() {
        try (WorkerPool pool = new WorkerPool(1, WorkerPool.DEFAULT_SPIN_NANOS, false)) {
            // no bound worth the name: a loaded test machine must not make this fail
            double nanos = SplitThreshold.splitNanos(pool, TimeUnit.MINUTES.toNanos(5));
            assertThat(nanos).isPositive().isFinite();
        }
    }

    /** The first pool measures, before its constructor returns; every pool then splits by the result. */
    @Test
    void defaultPoolsSplitByTheMeasuredThreshold() {
        try (WorkerPool pool = new WorkerPool(1); WorkerPool other = new WorkerPool(2)) {
            assertThat(pool.minTaskWork()).isEqualTo(SplitThreshold.current()).isEqualTo(other.minTaskWork())
                    .isBetween(Math.min(SplitThreshold.FLOOR, ExecContext.MIN_TASK_WORK), ExecContext.MIN_TASK_WORK);
            assertThat(new ExecContext(pool, 2).minTaskWork()).isEqualTo(pool.minTaskWork());
        }
    }

    /** With its only worker held by another split, the caller runs both chunks: no hand-off measured, NaN. */
    @Test
    void aBusyWorkerGivesNoMeasurement() throws Exception {
        try (WorkerPool pool = new WorkerPool(1, WorkerPool.DEFAULT_SPIN_NANOS, false)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread other = new Thread(() -> pool.run(2, 2, (from, to) -> {
                if (from == 1) {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            other.start();
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(SplitThreshold.splitNanos(pool, SplitThreshold.MAX_MEASURING_NANOS)).isNaN();
            } finally {
                release.countDown();
                other.join();
            }
        }
    }

    /** Splits slower than the bound (a caller and a worker sharing one core) give no measurement. */
    @Test
    void aMeasurementPastItsBoundGivesNone() {
        try (WorkerPool pool = new WorkerPool(1, WorkerPool.DEFAULT_SPIN_NANOS, false)) {
            assertThat(SplitThreshold.splitNanos(pool, 0)).isNaN();
            assertThat(SplitThreshold.splitNanos(pool, -1)).isNaN();
        }
    }

    @Test
    void everyPoolSplitsByTheSameThreshold() {
        try (WorkerPool spinning = new WorkerPool(1);
             WorkerPool brief = new WorkerPool(1, TimeUnit.MICROSECONDS.toNanos(10))) {
            assertThat(brief.minTaskWork()).isEqualTo(spinning.minTaskWork()).isEqualTo(SplitThreshold.current());
        }
    }
}
