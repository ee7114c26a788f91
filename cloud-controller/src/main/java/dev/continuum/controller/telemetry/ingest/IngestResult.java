package dev.continuum.controller.telemetry.ingest;

import java.util.Locale;

/** What became of one MQTT message; the {@code result} tag of {@code continuum_telemetry_messages_total}. */
public enum IngestResult {
    /** Written (a telemetry batch seen for the first time, or a status). */
    ACCEPTED,
    /** A batch whose (device, sequence) was ingested before: ignored. */
    DUPLICATE,
    /** Not a valid payload for its topic. */
    MALFORMED,
    /** The topic names a device this controller does not know. */
    UNKNOWN_DEVICE,
    /** The payload's device id is not the topic's. */
    DEVICE_MISMATCH,
    /** Not a telemetry or status topic. */
    UNEXPECTED_TOPIC,
    /** A batch older than the rollup retention: nothing to keep it in. */
    EXPIRED,
    /** The database refused it on its own (not a passing outage); dropped. */
    FAILED,
    /** An empty status: a retained status being cleared, nothing to record. */
    IGNORED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
