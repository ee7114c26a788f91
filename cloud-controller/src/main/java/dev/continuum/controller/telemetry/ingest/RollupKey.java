package dev.continuum.controller.telemetry.ingest;

import java.time.Instant;
import java.util.Comparator;

/** One row of {@code telemetry_rollups}: a device's requests for a model version and placement in a minute. */
record RollupKey(String deviceId, Instant minute, String model, String version, String placement)
        implements Comparable<RollupKey> {
    private static final Comparator<RollupKey> ORDER = Comparator.comparing(RollupKey::deviceId)
            .thenComparing(RollupKey::minute).thenComparing(RollupKey::model).thenComparing(RollupKey::version)
            .thenComparing(RollupKey::placement);

    /** Rows are locked in this order, so two writers merging the same rows wait for each other instead of deadlocking. */
    @Override
    public int compareTo(RollupKey o) {
        return ORDER.compare(this, o);
    }
}
