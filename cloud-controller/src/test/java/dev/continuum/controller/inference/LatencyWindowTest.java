package dev.continuum.controller.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.controller.inference.LatencyWindow.Percentiles;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    /** 60 s in 6 slices of 10 s. */
    private final LatencyWindow window = new LatencyWindow(Duration.ofSeconds(60), 6, clock::get);

    @Test
    void percentilesOfTheRecordedValuesAreWithinOneHistogramBucket() {
        for (int v = 1; v <= 1000; v++) {
            window.record(v * 100L); // 100 µs .. 100 ms, uniformly
        }
        Percentiles p = window.percentiles();
        assertThat(p.count()).isEqualTo(1000);
        assertThat(p.p50Micros()).isCloseTo(50_000, within(50_000 * 0.09));
        assertThat(p.p95Micros()).isCloseTo(95_000, within(95_000 * 0.09));
        assertThat(p.p99Micros()).isCloseTo(99_000, within(99_000 * 0.09));
    }

    @Test
    void valuesDropOutOneSliceAtATimeOnceTheyAreOlderThanTheWindow() {
        window.record(1_000);            // slice 0
        clock.addAndGet(10 * SECOND);
        window.record(2_000);            // slice 1
        clock.addAndGet(45 * SECOND);    // 55 s after the first value: both still inside
        assertThat(window.percentiles().count()).isEqualTo(2);
        clock.addAndGet(5 * SECOND);     // the first slice left the window
        assertThat(window.percentiles().count()).isEqualTo(1);
        assertThat(window.percentiles().p50Micros()).isCloseTo(2_000, within(2_000 * 0.09));
        clock.addAndGet(10 * SECOND);    // so did the second
        assertThat(window.percentiles()).isEqualTo(new Percentiles(0, 0, 0, 0));
    }

    @Test
    void aRingEntryReusedAfterAFullTurnHoldsOnlyItsNewValues() {
        window.record(1_000);
        clock.addAndGet(60 * SECOND);    // same ring position, one turn later
        window.record(500_000);
        Percentiles p = window.percentiles();
        assertThat(p.count()).isEqualTo(1);
        assertThat(p.p99Micros()).isCloseTo(500_000, within(500_000 * 0.09));
    }

    @Test
    void aWindowNeedsAtLeastOneSlice() {
        assertThatThrownBy(() -> new LatencyWindow(Duration.ofMinutes(1), 0, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("slices must be at least 1, got 0");
        assertThatThrownBy(() -> new LatencyWindow(Duration.ofNanos(3), 4, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window PT0.000000003S is too short for 4 slices");
    }
}
