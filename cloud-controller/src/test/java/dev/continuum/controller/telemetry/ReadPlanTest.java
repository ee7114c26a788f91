package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPlanTest {
    static final Instant RAW_FROM = Instant.parse("2024-05-01T00:00:00Z");

    static Instant t(String hms) {
        return Instant.parse("2024-05-01T" + hms + "Z");
    }

    static ReadPlan.Interval i(String from, String to) {
        return new ReadPlan.Interval(t(from), t(to));
    }

    @Test
    void wholeMinutesComeFromRollupsAndPartialEdgesFromRawRows() {
        ReadPlan p = ReadPlan.of(t("10:00:20"), t("10:05:40"), RAW_FROM);
        assertThat(p.rollupFrom()).isEqualTo(t("10:01:00"));
        assertThat(p.rollupTo()).isEqualTo(t("10:05:00"));
        assertThat(p.raw()).containsExactly(i("10:00:20", "10:01:00"), i("10:05:00", "10:05:40"));
        assertThat(p.since()).isEqualTo(t("10:00:20"));
        assertThat(p.until()).isEqualTo(t("10:05:40"));
    }

    @Test
    void aMinuteAlignedWindowReadsOnlyRollups() {
        ReadPlan p = ReadPlan.of(t("10:00:00"), t("10:02:00"), RAW_FROM);
        assertThat(p.raw()).isEmpty();
        assertThat(p.readsRollups()).isTrue();
    }

    @Test
    void aWindowInsideOneMinuteReadsOnlyRawRows() {
        ReadPlan p = ReadPlan.of(t("10:00:20"), t("10:00:40"), RAW_FROM);
        assertThat(p.readsRollups()).isFalse();
        assertThat(p.raw()).containsExactly(i("10:00:20", "10:00:40"));
        ReadPlan straddling = ReadPlan.of(t("10:00:20"), t("10:01:10"), RAW_FROM);
        assertThat(straddling.readsRollups()).isFalse();
        assertThat(straddling.raw()).containsExactly(i("10:00:20", "10:01:10"));
    }

    @Test
    void edgesOlderThanTheRawRetentionAreWidenedToWholeMinutes() {
        ReadPlan p = ReadPlan.of(Instant.parse("2024-04-30T23:50:20Z"), t("00:05:40"), RAW_FROM);
        assertThat(p.since()).isEqualTo(Instant.parse("2024-04-30T23:50:00Z"));
        assertThat(p.rollupFrom()).isEqualTo(Instant.parse("2024-04-30T23:50:00Z"));
        assertThat(p.raw()).containsExactly(i("00:05:00", "00:05:40"));

        ReadPlan old = ReadPlan.of(Instant.parse("2024-04-30T20:00:20Z"), Instant.parse("2024-04-30T21:00:40Z"), RAW_FROM);
        assertThat(old.since()).isEqualTo(Instant.parse("2024-04-30T20:00:00Z"));
        assertThat(old.until()).isEqualTo(Instant.parse("2024-04-30T21:01:00Z"));
        assertThat(old.raw()).isEmpty();

        ReadPlan oldShort = ReadPlan.of(Instant.parse("2024-04-30T20:00:20Z"), Instant.parse("2024-04-30T20:00:30Z"), RAW_FROM);
        assertThat(List.of(oldShort.rollupFrom(), oldShort.rollupTo())).containsExactly(
                Instant.parse("2024-04-30T20:00:00Z"), Instant.parse("2024-04-30T20:01:00Z"));
    }

    @Test
    void anEmptyWindowReadsNothingAndAReversedOneIsRefused() {
        ReadPlan p = ReadPlan.of(t("10:00:20"), t("10:00:20"), RAW_FROM);
        assertThat(p.readsRollups()).isFalse();
        assertThat(p.raw()).containsExactly(i("10:00:20", "10:00:20"));
        assertThatThrownBy(() -> ReadPlan.of(t("10:00:21"), t("10:00:20"), RAW_FROM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after until");
    }
}
