package dev.continuum.controller.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionLimiterTest {
    private AdmissionLimiter limiter;

    @AfterEach
    void close() {
        limiter.close();
    }

    @Test
    void admitsRunningPlusQueuedRequestsAndRefusesTheNextNamingTheLimit() {
        limiter = new AdmissionLimiter(2, 1, Duration.ofSeconds(10));
        AdmissionLimiter.Admission a = limiter.admit("m1");
        limiter.admit("m2");
        limiter.admit("m3");
        assertThatThrownBy(() -> limiter.admit("model 'lenet' version '1'"))
                .isInstanceOf(AdmissionLimiter.Overloaded.class)
                .hasMessage("cloud inference is at its limit: model 'lenet' version '1' cannot be admitted while 2 "
                        + "inferences run and 1 wait (continuum.inference.max-concurrent=2, max-queue=1); retry later");
        a.close();
        a.close(); // closing twice gives back one place only
        limiter.admit("m4");
        assertThatThrownBy(() -> limiter.admit("m5")).isInstanceOf(AdmissionLimiter.Overloaded.class);
    }

    @Test
    void aQueuedRunWaitsForTheComputeThreadAndItsWaitIsCounted() throws Exception {
        limiter = new AdmissionLimiter(1, 1, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<AdmissionLimiter.Ran<String>> first = CompletableFuture.supplyAsync(
                () -> limiter.run(limiter.admit("first"), "first", () -> {
                    release.await();
                    return "one";
                }));
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.running() == 1);
        CompletableFuture<AdmissionLimiter.Ran<String>> second = CompletableFuture.supplyAsync(
                () -> limiter.run(limiter.admit("second"), "second", () -> "two"));
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.queuedJobs() == 1);
        assertThat(limiter.waiting()).isEqualTo(1);
        Thread.sleep(20); // the second run is queued during these 20 ms at least
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).value()).isEqualTo("one");
        AdmissionLimiter.Ran<String> ran = second.get(10, TimeUnit.SECONDS);
        assertThat(ran.value()).isEqualTo("two");
        assertThat(ran.queueNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void aRunThatWaitsLongerThanTheQueueTimeoutIsRefusedAndNeverRuns() throws Exception {
        limiter = new AdmissionLimiter(1, 1, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lateRuns = new AtomicInteger();
        CompletableFuture<AdmissionLimiter.Ran<String>> first = CompletableFuture.supplyAsync(
                () -> limiter.run(limiter.admit("first"), "first", () -> {
                    release.await();
                    return "one";
                }));
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.running() == 1);
        try (AdmissionLimiter.Admission a = limiter.admit("late")) {
            assertThatThrownBy(() -> limiter.run(a, "model 'm' version '2'", lateRuns::incrementAndGet))
                    .isInstanceOf(AdmissionLimiter.Overloaded.class)
                    .hasMessage("cloud inference is at its limit: model 'm' version '2' waited 50 ms for one of 1 compute "
                            + "threads (continuum.inference.queue-timeout); retry later");
        }
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        try (AdmissionLimiter.Admission a = limiter.admit("after")) {
            assertThat(limiter.run(a, "after", () -> "ran").value()).isEqualTo("ran");
        }
        assertThat(lateRuns).hasValue(0);
    }

    @Test
    void whatARunThrowsReachesItsCallerUnchanged() {
        limiter = new AdmissionLimiter(1, 0, Duration.ofSeconds(10));
        try (AdmissionLimiter.Admission a = limiter.admit("x")) {
            assertThatThrownBy(() -> limiter.run(a, "x", () -> {
                throw new IllegalArgumentException("input 'x' is bad");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("input 'x' is bad");
        }
        try (AdmissionLimiter.Admission a = limiter.admit("y")) {
            assertThatThrownBy(() -> limiter.run(a, "y", () -> {
                throw new java.io.IOException("disk");
            })).isInstanceOf(IllegalStateException.class).hasMessage("y failed: java.io.IOException: disk");
        }
        assertThatThrownBy(() -> new AdmissionLimiter(0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
