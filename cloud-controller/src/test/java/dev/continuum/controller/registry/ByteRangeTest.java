package dev.continuum.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.controller.common.RangeNotSatisfiableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void resolvesClosedOpenAndSuffixRanges() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).contains(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-200", 100)).contains(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=50-", 100)).contains(new ByteRange(50, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).contains(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).contains(new ByteRange(0, 99));
        assertThat(new ByteRange(2, 9).contentRange(100)).isEqualTo("bytes 2-9/100");
    }

    @Test
    void ignoresWhatItDoesNotHonour() {
        assertThat(ByteRange.parse(null, 100)).isEqualTo(Optional.empty());
        assertThat(ByteRange.parse("items=0-1", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=9-2", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=x-2", 100)).isEmpty();
    }

    @Test
    void refusesRangesThatSelectNoByte() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(RangeNotSatisfiableException.class)
                .hasMessageContaining("100-byte");
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(RangeNotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(RangeNotSatisfiableException.class);
    }
}
