package dev.continuum.agent.profile;

import dev.continuum.engine.Session;
import dev.continuum.engine.Tensor;
import java.util.Map;

/**
 * Runs a session until its kernels are compiled, before anything is timed: {@value #RUNS} inferences, or
 * as many as fit in {@value #MILLIS} ms for a large model (at least 3).
 *
 * <p>On a fresh JVM the engine's kernels run interpreted, then in C1 code, for the first hundred or two
 * inferences of a small model (LeNet: 2.3 ms for the first 100 runs, 0.9 ms for the next 100, 0.05 ms
 * from then on, on this project's 2-core benchmark machine). Timed without a warm-up, those runs, not
 * the model, decide the figures an agent reports; served without one, they are its first requests.
 */
final class Warmup {
    static final int RUNS = 300;
    static final long MILLIS = 2000;

    private Warmup() {
    }

    static void run(Session session, Map<String, Tensor> inputs) {
        long end = System.nanoTime() + MILLIS * 1_000_000L;
        for (int i = 0; i < RUNS && (i < 3 || System.nanoTime() < end); i++) {
            session.run(inputs);
        }
    }
}
