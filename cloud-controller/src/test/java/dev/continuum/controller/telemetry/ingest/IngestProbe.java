package dev.continuum.controller.telemetry.ingest;

import dev.continuum.proto.v1.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes batches straight through the store, as the writer thread does, for tests of the store itself. */
public final class IngestProbe {
    private IngestProbe() {
    }

    public static List<IngestResult> write(TelemetryStore store, Instant now, List<TelemetryBatch> batches) {
        List<Inbound> messages = new ArrayList<>();
        for (TelemetryBatch b : batches) {
            try {
                messages.add(MessageParser.parse("continuum/v1/devices/" + b.getDeviceId() + "/telemetry",
                        b.toByteArray(), () -> { }));
            } catch (RejectedMessage e) {
                throw new IllegalArgumentException("test batch refused: " + e.getMessage(), e);
            }
        }
        return store.write(messages, now);
    }

    /** The statement that writes a merged rollup row back, by its key (parameters 4-8). */
    public static String rollupUpdate() {
        return RollupUpserts.UPDATE;
    }
}
