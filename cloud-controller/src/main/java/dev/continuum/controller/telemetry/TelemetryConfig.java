package dev.continuum.controller.telemetry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How telemetry is ingested, written and kept ({@code continuum.telemetry.*}). */
@ConfigMapping(prefix = "continuum.telemetry")
public interface TelemetryConfig {
    /** How often agents publish a batch; handed to them with the broker URI. */
    @WithDefault("5s")
    Duration interval();

    /** How long raw per-batch rows (and the record of batches seen) are kept. */
    @WithDefault("24h")
    Duration rawRetention();

    /** How long per-minute rollups are kept. */
    @WithDefault("30d")
    Duration rollupRetention();

    /** How often the retention job deletes what has aged out. */
    @WithDefault("10m")
    Duration retentionCheckInterval();

    /** Accepted messages waiting for the writer; when full, the MQTT client stops reading (back-pressure). */
    @WithDefault("10000")
    int queueCapacity();

    /** Most messages written in one transaction. */
    @WithDefault("500")
    int writeBatchSize();

    /** Longest a message waits for others to share its transaction. */
    @WithDefault("50ms")
    Duration writeLinger();
}
