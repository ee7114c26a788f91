package dev.continuum.controller.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
    private final AtomicLong clock = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final AtomicInteger lookups = new AtomicInteger();

    private String lookup(String key) {
        lookups.incrementAndGet();
        if (key.startsWith("bad")) {
            throw new IllegalArgumentException("unknown " + key);
        }
        return key.toUpperCase() + lookups.get();
    }

    @Test
    void aValueIsReusedUntilItsTimeToLiveEnds() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
        assertThat(cache.get("a", this::lookup)).isEqualTo("A1");
        clock.addAndGet(4_999_999_999L);
        assertThat(cache.get("a", this::lookup)).isEqualTo("A1");
        clock.addAndGet(1);
        assertThat(cache.get("a", this::lookup)).isEqualTo("A2");
    }

    @Test
    void failedLookupsAreNotCached() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
        assertThatThrownBy(() -> cache.get("bad-1", this::lookup)).hasMessage("unknown bad-1");
        assertThatThrownBy(() -> cache.get("bad-1", this::lookup)).hasMessage("unknown bad-1");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aZeroTimeToLiveLooksUpEveryTimeAndAFullCacheStartsOver() {
        TtlCache<String, String> off = new TtlCache<>(Duration.ZERO, 100, clock::get);
        off.get("a", this::lookup);
        off.get("a", this::lookup);
        assertThat(lookups).hasValue(2);

        TtlCache<String, String> small = new TtlCache<>(Duration.ofSeconds(5), 2, clock::get);
        small.get("a", this::lookup);
        small.get("b", this::lookup);
        small.get("c", this::lookup); // over the bound: a and b are dropped
        assertThat(small.get("c", this::lookup)).isEqualTo("C5");
        assertThat(small.get("a", this::lookup)).isEqualTo("A6");
    }
}
