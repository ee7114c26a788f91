package dev.continuum.engine.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The spinning worker team behind {@link ExecContext#parallelFor}. */
class WorkerPoolTest {

    @Test
    void everyIndexRunsExactlyOnceAndChunksRunOnWorkers() {
        try (WorkerPool pool = new WorkerPool(3)) {
            ExecContext ctx = new ExecContext(pool, 4);
            for (int round = 0; round < 200; round++) {
                AtomicIntegerArray hits = new AtomicIntegerArray(1000);
                Set<String> threads = ConcurrentHashMap.newKeySet();
                ctx.parallelFor(1000, 1, (from, to) -> {
                    threads.add(Thread.currentThread().getName());
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < 1000; i++) {
                    assertThat(hits.get(i)).as("index %d in round %d", i, round).isEqualTo(1);
                }
                assertThat(threads).contains(Thread.currentThread().getName());
            }
        }
    }

    @Test
    void aWorkerThatParkedIsWokenForTheNextSplit() throws Exception {
        try (WorkerPool pool = new WorkerPool(1, TimeUnit.MICROSECONDS.toNanos(10))) {
            ExecContext ctx = new ExecContext(pool, 2);
            for (int round = 0; round < 20; round++) {
                Thread.sleep(2); // well past the spin: the worker has parked
                Set<String> threads = ConcurrentHashMap.newKeySet();
                ctx.parallelFor(2, 1, (from, to) -> threads.add(Thread.currentThread().getName()));
                assertThat(threads).hasSize(2).anyMatch(n -> n.startsWith("continuum-engine-worker-"));
            }
        }
    }

    @Test
    void aFailingChunkOnAWorkerIsRethrownToTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(1)) {
            ExecContext ctx = new ExecContext(pool, 2);
            assertThatThrownBy(() -> ctx.parallelFor(10, 1, (from, to) -> {
                if (from > 0) {
                    throw new IllegalStateException("chunk " + from + " failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 5 failed");
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            ctx.parallelFor(10, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 10; i++) {
                assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void concurrentAndNestedSplitsRunInlineWhenTheWorkersAreBusy() throws Exception {
        try (WorkerPool pool = new WorkerPool(1)) {
            int callers = 4;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicIntegerArray hits = new AtomicIntegerArray(callers * 64);
            for (int c = 0; c < callers; c++) {
                int base = c * 64;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        ExecContext ctx = new ExecContext(pool, 2);
                        for (int round = 0; round < 100; round++) {
                            // each chunk splits again: the nested split finds the only worker busy or free
                            ctx.parallelFor(64, 1, (from, to) -> ctx.parallelFor(to - from, 1, (a, b) -> {
                                for (int i = from + a; i < from + b; i++) {
                                    hits.incrementAndGet(base + i);
                                }
                            }));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("a caller is stuck").isFalse();
            }
            assertThat(failures).isEmpty();
            for (int i = 0; i < callers * 64; i++) {
                assertThat(hits.get(i)).isEqualTo(100);
            }
        }
    }

    @Test
    void afterCloseEverySplitRunsOnTheCallingThread() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        ExecContext ctx = new ExecContext(pool, 3);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ctx.parallelFor(9, 1, (from, to) -> threads.add(Thread.currentThread().getName()));
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aWorkerClosedWhileItRunsAChunkStopsOnceTheChunkIsCollected() throws Exception {
        WorkerPool pool = new WorkerPool(1);
        ExecContext ctx = new ExecContext(pool, 2);
        AtomicReference<Thread> worker = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread caller = new Thread(() -> ctx.parallelFor(2, 1, (from, to) -> {
            if (from == 1) {
                worker.set(Thread.currentThread());
                running.countDown();
            }
            try {
                release.await();
                if (from == 0) {
                    Thread.sleep(20); // the worker finishes first and waits past its spin to be collected
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        caller.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.get().getName()).startsWith("continuum-engine-worker-");
        pool.close();
        release.countDown();
        caller.join(TimeUnit.SECONDS.toMillis(10));
        worker.get().join(TimeUnit.SECONDS.toMillis(10));
        assertThat(caller.isAlive()).isFalse();
        assertThat(worker.get().isAlive()).as("the worker thread stopped").isFalse();
    }

    @Test
    void aPoolNeedsAWorker() {
        assertThatThrownBy(() -> new WorkerPool(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one worker");
    }
}
