package dev.continuum.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.proto.v1.DeviceVitals;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class VitalsTest {
    @Test
    void roundTripsOfTheIntervalGiveP50AndP95AndAreClearedAfterwards() {
        Vitals v = new Vitals();
        for (int i = 1; i <= 100; i++) {
            v.recordRoundTrip(i * 100L); // 100 µs .. 10 ms
        }
        DeviceVitals s = v.sample();
        // the histogram's buckets are ~9% wide
        assertThat(s.getRttP50Micros()).isBetween(4600L, 5500L);
        assertThat(s.getRttP95Micros()).isBetween(8700L, 10400L);
        DeviceVitals next = v.sample();
        assertThat(next.getRttP50Micros()).as("unknown without round trips").isZero();
        assertThat(next.getRttP95Micros()).isZero();
    }

    @Test
    void memoryIsTheSystemsAndCpuLoadIsPerCoreOrNegative() {
        DeviceVitals s = new Vitals().sample();
        assertThat(s.getMemoryTotalBytes()).isPositive();
        assertThat(s.getMemoryUsedBytes()).isBetween(1L, s.getMemoryTotalBytes());
        assertThat(s.getCpuLoad() == -1 || s.getCpuLoad() >= 0).as("cpu load %s", s.getCpuLoad()).isTrue();
        assertThat(s.getUplinkBytesPerSecond()).isZero();
    }

    @Test
    void memAvailableIsReadFromMeminfoInKilobytes() {
        assertThat(Vitals.parseMemAvailable(List.of("MemTotal:       16000000 kB", "MemFree:  100 kB",
                "MemAvailable:    8000000 kB"))).isEqualTo(OptionalLong.of(8_000_000L * 1024));
        assertThat(Vitals.parseMemAvailable(List.of("MemTotal: 1 kB"))).isEmpty();
    }
}
