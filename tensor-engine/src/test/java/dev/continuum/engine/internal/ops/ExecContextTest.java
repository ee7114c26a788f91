package dev.continuum.engine.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How {@link ExecContext} splits a range (by index grain, and by work per index) and a list of tasks. */
class ExecContextTest {
    private static final WorkerPool POOL = new WorkerPool(1);

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    private static List<int[]> chunks(ExecContext ctx, int n, long workPerIndex) {
        List<int[]> seen = new CopyOnWriteArrayList<>();
        ctx.parallelForWork(n, workPerIndex, (from, to) -> seen.add(new int[] {from, to}));
        return seen;
    }

    @Test
    void workBelowTwiceTheMinimumTaskRunsAsOneChunk() {
        ExecContext two = new ExecContext(POOL, 2);
        long perIndex = two.minTaskWork() / 100;
        assertThat(chunks(two, 150, perIndex)).hasSize(1);
        assertThat(two.worthSplitting(150 * perIndex)).isFalse();
    }

    @Test
    void largeWorkIsSplitIntoOneChunkPerThreadCoveringTheRange() {
        ExecContext two = new ExecContext(POOL, 2);
        List<int[]> seen = chunks(two, 1000, two.minTaskWork() / 10);
        assertThat(seen).hasSize(2);
        assertThat(seen.stream().mapToInt(c -> c[1] - c[0]).sum()).isEqualTo(1000);
        assertThat(two.worthSplitting(1000 * (two.minTaskWork() / 10))).isTrue();
    }

    @Test
    void aContextSplitsByTheThresholdItWasMadeWithElseByTheDefault() {
        assertThat(new ExecContext(POOL, 2).minTaskWork()).isEqualTo(ExecContext.MIN_TASK_WORK);
        assertThat(ExecContext.serial().minTaskWork()).isEqualTo(ExecContext.MIN_TASK_WORK);
        ExecContext two = new ExecContext(POOL, 2, null, 1 << 15);
        assertThat(two.minTaskWork()).isEqualTo(1 << 15);
        assertThat(two.worthSplitting(2 << 15)).isTrue();
        assertThat(two.worthSplitting((2 << 15) - 1)).isFalse();
        assertThat(chunks(two, 1000, (1 << 15) / 10)).hasSize(2);
        assertThatThrownBy(() -> new ExecContext(POOL, 2, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minTaskWork");
    }

    @Test
    void theThresholdPropertyIsAPositiveWholeNumberOrNamedAsWrong() {
        assertThat(ExecContext.minTaskWork(null)).isEqualTo(1L << 21);
        assertThat(ExecContext.minTaskWork(" 262144 ")).isEqualTo(262_144);
        for (String bad : new String[] {"abc", "", "0", "-5", "1.5", "4294967296"}) {
            assertThatThrownBy(() -> ExecContext.minTaskWork(bad)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ExecContext.MIN_TASK_WORK_PROPERTY).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void oneThreadNeverSplitsWhateverTheWork() {
        ExecContext one = ExecContext.serial();
        assertThat(chunks(one, 1000, ExecContext.MIN_TASK_WORK)).hasSize(1);
        assertThat(one.worthSplitting(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void zeroOrNegativeWorkPerIndexCountsAsOneUnit() {
        ExecContext two = new ExecContext(POOL, 2);
        assertThat(chunks(two, 10, 0)).hasSize(1);
        assertThat(chunks(two, 10, -5)).hasSize(1);
    }

    @Test
    void everyTaskRunsOnceOnSomeLane() {
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2)}) {
            for (int tasks : new int[] {0, 1, 2, 7, 100}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                List<Integer> lanes = new CopyOnWriteArrayList<>();
                ctx.parallelTasks(tasks, 2, (task, lane) -> {
                    runs.incrementAndGet(task);
                    lanes.add(lane);
                });
                for (int i = 0; i < tasks; i++) {
                    assertThat(runs.get(i)).as("task %d of %d on %d threads", i, tasks, ctx.threads()).isEqualTo(1);
                }
                assertThat(lanes).allMatch(l -> l >= 0 && l < Math.min(2, ctx.threads()));
            }
        }
    }

    /**
     * A lane held up on the first task it takes (until every other task has run): the other lane runs
     * its own share and then the held lane's remaining tasks. Without taking from the back, the held
     * lane's share would wait behind it and the hold would time out.
     */
    @Test
    void aLaneThatFinishesTakesTheOthersRemainingTasks() {
        ExecContext two = new ExecContext(POOL, 2);
        int tasks = 20;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        CountDownLatch others = new CountDownLatch(tasks - 1);
        AtomicInteger held = new AtomicInteger(-1);
        AtomicBoolean timedOut = new AtomicBoolean();
        two.parallelTasks(tasks, 2, (task, lane) -> {
            runs.incrementAndGet(task);
            if (lane == 0 && held.compareAndSet(-1, task)) {
                try {
                    timedOut.set(!others.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                others.countDown();
            }
        });
        assertThat(timedOut).as("lane 0 held on task %d while its share waited", held.get()).isFalse();
        for (int i = 0; i < tasks; i++) {
            assertThat(runs.get(i)).as("task %d", i).isEqualTo(1);
        }
    }

    /** Ranges cover [0, n) once, each non-empty, at most TASKS_PER_THREAD per thread. */
    @Test
    void rangesCoverEveryIndexOnce() {
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2)}) {
            for (int n : new int[] {0, 1, 2, 15, 16, 17, 391}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                AtomicInteger ranges = new AtomicInteger();
                ctx.parallelRanges(n, (from, to) -> {
                    assertThat(to).as("range [%d, %d) of %d", from, to, n).isGreaterThan(from).isLessThanOrEqualTo(n);
                    ranges.incrementAndGet();
                    for (int i = from; i < to; i++) {
                        runs.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertThat(runs.get(i)).as("index %d of %d on %d threads", i, n, ctx.threads()).isEqualTo(1);
                }
                assertThat(ranges.get()).isLessThanOrEqualTo(ExecContext.TASKS_PER_THREAD * ctx.threads());
            }
        }
    }
}
