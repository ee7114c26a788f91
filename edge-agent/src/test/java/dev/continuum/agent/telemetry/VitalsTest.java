package dev.continuum.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.proto.v1.DeviceVitals;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class VitalsTest {
    @Test
    void roundTripsGiveP50AndP95OfTheMostRecentOnesAndStayUntilNewerOnesArrive() {
        Vitals v = new Vitals();
        assertThat(v.sample().getRttP50Micros()).as("unknown before the first round trip").isZero();
        for (int i = 1; i <= 100; i++) {
            v.recordRoundTrip(1_000_000L); // old ones, pushed out of the window below
        }
        for (int i = 1; i <= Vitals.RECENT_ROUND_TRIPS; i++) {
            v.recordRoundTrip(i * 100L); // 100 µs .. 2 ms
        }
        DeviceVitals s = v.sample();
        assertThat(s.getRttP50Micros()).isEqualTo(1000L);
        assertThat(s.getRttP95Micros()).isEqualTo(1900L);
        DeviceVitals next = v.sample();
        assertThat(next.getRttP50Micros()).as("still known without new round trips").isEqualTo(1000L);
        assertThat(next.getRttP95Micros()).isEqualTo(1900L);
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
