package dev.continuum.agent.profile;

import dev.continuum.engine.Session;
import dev.continuum.engine.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Times a session on fixed inputs, for the latency probe and the device profile: first the engine's
 * warm-up until its kernels are compiled ({@link Session#warmUp(Map, int, long)}: {@link Session#WARM_UP_RUNS}
 * inferences, or as many as fit in {@link Session#WARM_UP_MILLIS} ms for a large model, at least 3),
 * then up to {@code maxRuns} timed runs within about {@code budgetMillis} (at least 5).
 *
 * <p>On a fresh JVM the engine's kernels run interpreted, then in C1 code, for the first hundred or two
 * inferences of a small model (LeNet: 2.3 ms for the first 100 runs, 0.9 ms for the next 100, 0.05 ms
 * from then on, on this project's 2-core benchmark machine). Timed without a warm-up, those runs, not
 * the model, decide the figures an agent reports; served without one, they are its first requests.
 */
final class SessionTimer {
    private SessionTimer() {
    }

    /** The warm-up, then the timed runs' durations in nanoseconds, sorted. */
    static long[] warmAndTime(Session session, Map<String, Tensor> inputs, int maxRuns, long budgetMillis) {
        session.warmUp(inputs, Session.WARM_UP_RUNS, Session.WARM_UP_MILLIS);
        long[] nanos = new long[maxRuns];
        int runs = 0;
        long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
        while (runs < maxRuns && (runs < 5 || System.nanoTime() < deadline)) {
            long t0 = System.nanoTime();
            session.run(inputs);
            nanos[runs++] = System.nanoTime() - t0;
        }
        long[] done = Arrays.copyOf(nanos, runs);
        Arrays.sort(done);
        return done;
    }
}
