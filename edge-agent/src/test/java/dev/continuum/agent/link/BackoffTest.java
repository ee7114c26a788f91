package dev.continuum.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleUpToTheMaximumWithJitterBetweenHalfAndAllOfTheCeiling() {
        Backoff low = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), () -> 0.999999);
        assertThat(low.delay(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(high.delay(0)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(low.delay(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(low.delay(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(low.delay(10)).isEqualTo(Duration.ofSeconds(4));
        assertThat(high.delay(10)).isBetween(Duration.ofMillis(7999), Duration.ofSeconds(8));
        assertThat(low.delay(1000)).isEqualTo(Duration.ofSeconds(4));
    }
}
