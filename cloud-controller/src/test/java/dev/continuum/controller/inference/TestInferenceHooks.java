package dev.continuum.controller.inference;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' {@link InferenceHooks}: counts loads and runs, and holds them while a test keeps the
 * latch it set closed (at most 30 s, so a failing test cannot hang the build).
 */
@Singleton // no client proxy: the tests set its fields directly
@Alternative
@Priority(1)
public class TestInferenceHooks implements InferenceHooks {
    volatile CountDownLatch holdLoads;
    volatile CountDownLatch holdRuns;
    final AtomicInteger loadsStarted = new AtomicInteger();
    final AtomicInteger runsStarted = new AtomicInteger();

    void reset() {
        release();
        holdLoads = null;
        holdRuns = null;
        loadsStarted.set(0);
        runsStarted.set(0);
    }

    void release() {
        CountDownLatch l = holdLoads;
        CountDownLatch r = holdRuns;
        if (l != null) {
            l.countDown();
        }
        if (r != null) {
            r.countDown();
        }
    }

    @Override
    public void beforeLoad(String sha256) {
        loadsStarted.incrementAndGet();
        hold(holdLoads);
    }

    @Override
    public void beforeRun(String model, String version) {
        runsStarted.incrementAndGet();
        hold(holdRuns);
    }

    private static void hold(CountDownLatch latch) {
        if (latch == null) {
            return;
        }
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
