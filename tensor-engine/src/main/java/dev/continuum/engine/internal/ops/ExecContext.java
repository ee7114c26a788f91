package dev.continuum.engine.internal.ops;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * What a running kernel may use besides its inputs: the session's thread budget for intra-op
 * parallelism. With one thread, {@link #parallelFor} runs inline.
 */
public final class ExecContext {
    private static final ExecContext SERIAL = new ExecContext(null, 1);

    private final ForkJoinPool pool;
    private final int threads;

    public ExecContext(ForkJoinPool pool, int threads) {
        this.pool = pool;
        this.threads = Math.max(1, threads);
    }

    public static ExecContext serial() {
        return SERIAL;
    }

    public int threads() {
        return threads;
    }

    /** Something to run over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks
     * of at least {@code grain} indices each, and returns when all are done.
     */
    public void parallelFor(int n, int grain, RangeBody body) {
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || pool == null) {
            body.run(0, n);
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
            pool.execute(tasks[c - 1]);
        }
        body.run(0, (int) ((long) n / chunks));
        for (RecursiveAction t : tasks) {
            t.join();
        }
    }
}
