package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.telemetry.Topics;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.TelemetryBatch;
import java.util.List;

/**
 * A parsed, well-formed message waiting for the writer: a telemetry batch (with its model rows
 * merged per model, version and placement) or a status, and how to acknowledge it to the broker
 * once written.
 *
 * @param models the batch's rows, one per (model, version, placement); empty for a status
 */
record Inbound(String deviceId, Topics.Kind kind, TelemetryBatch batch, List<ModelRow> models, DeviceStatus status,
               Runnable ack) {
    static Inbound telemetry(TelemetryBatch batch, List<ModelRow> models, Runnable ack) {
        return new Inbound(batch.getDeviceId(), Topics.Kind.TELEMETRY, batch, models, null, ack);
    }

    static Inbound status(DeviceStatus status, Runnable ack) {
        return new Inbound(status.getDeviceId(), Topics.Kind.STATUS, null, List.of(), status, ack);
    }

    Inbound withAck(Runnable newAck) {
        return new Inbound(deviceId, kind, batch, models, status, newAck);
    }
}
