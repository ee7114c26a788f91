package dev.continuum.engine;

/**
 * How a session runs: the number of threads one run may use for intra-op parallelism.
 *
 * @param threads threads per run, at least 1; the calling thread is one of them
 */
public record SessionOptions(int threads) {
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** One thread per run. */
    public static SessionOptions defaults() {
        return new SessionOptions(1);
    }

    public SessionOptions withThreads(int threads) {
        return new SessionOptions(threads);
    }
}
