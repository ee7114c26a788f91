package dev.continuum.engine.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How {@link ExecContext} splits a range: by index grain, and by work per index. */
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
        long perIndex = ExecContext.MIN_TASK_WORK / 100;
        assertThat(chunks(two, 150, perIndex)).hasSize(1);
        assertThat(two.worthSplitting(150 * perIndex)).isFalse();
    }

    @Test
    void largeWorkIsSplitIntoOneChunkPerThreadCoveringTheRange() {
        ExecContext two = new ExecContext(POOL, 2);
        List<int[]> seen = chunks(two, 1000, ExecContext.MIN_TASK_WORK / 10);
        assertThat(seen).hasSize(2);
        assertThat(seen.stream().mapToInt(c -> c[1] - c[0]).sum()).isEqualTo(1000);
        assertThat(two.worthSplitting(1000 * (ExecContext.MIN_TASK_WORK / 10))).isTrue();
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
}
