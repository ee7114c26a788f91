package dev.continuum.controller.telemetry;

import java.time.Instant;

/**
 * A device's newest reported vitals (from its highest-sequence batch); null where the device could
 * not tell (load on platforms without it, round trip before the first heartbeat, rate before any offload).
 *
 * @param cpuLoad 1-minute load average per core (1.0 = every core busy)
 */
public record DeviceVitalsView(String deviceId, long sequence, Instant reportedAt, Double cpuLoad,
                               Long memoryUsedBytes, Long memoryTotalBytes, Long rttP50Micros, Long rttP95Micros,
                               Long uplinkBytesPerSecond, long outboxDroppedTotal, long outboxBacklog) {
}
