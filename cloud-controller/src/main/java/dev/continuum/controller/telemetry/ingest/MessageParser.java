package dev.continuum.controller.telemetry.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.continuum.controller.telemetry.Topics;
import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an MQTT message into an {@link Inbound} or says why not: the topic must be a device's
 * telemetry or status topic, the payload must parse and name the topic's device, and every value
 * must fit what the controller stores. Whether the device exists is the writer's to check.
 */
final class MessageParser {
    static final int MAX_NAME = 128;

    private MessageParser() {
    }

    static Inbound parse(String topic, byte[] payload, Runnable ack) throws RejectedMessage {
        Topics.DeviceTopic t = Topics.parse(topic).orElseThrow(() -> new RejectedMessage(IngestResult.UNEXPECTED_TOPIC,
                "topic '" + topic + "' is not a device's telemetry or status topic"));
        return t.kind() == Topics.Kind.TELEMETRY ? telemetry(t.deviceId(), payload, ack) : status(t.deviceId(), payload, ack);
    }

    private static Inbound telemetry(String topicDevice, byte[] payload, Runnable ack) throws RejectedMessage {
        TelemetryBatch b;
        try {
            b = TelemetryBatch.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new RejectedMessage(IngestResult.MALFORMED, "payload is not a TelemetryBatch: " + e.getMessage());
        }
        checkDevice(topicDevice, b.getDeviceId());
        if (b.getSequence() < 1) {
            throw new RejectedMessage(IngestResult.MALFORMED, "sequence must be at least 1, got "
                    + Long.toUnsignedString(b.getSequence()));
        }
        if (b.getWindowEndMillis() < b.getWindowStartMillis()) {
            throw new RejectedMessage(IngestResult.MALFORMED, "window ends (" + b.getWindowEndMillis()
                    + ") before it starts (" + b.getWindowStartMillis() + ")");
        }
        Map<String, ModelRow> rows = new LinkedHashMap<>();
        for (ModelTelemetry m : b.getModelsList()) {
            ModelRow r = row(m);
            rows.merge(r.model() + '\0' + r.version() + '\0' + r.placement(), r, ModelRow::plus);
        }
        return Inbound.telemetry(b, List.copyOf(new ArrayList<>(rows.values())), ack);
    }

    private static ModelRow row(ModelTelemetry m) throws RejectedMessage {
        String what = "model '" + m.getModel() + "' version '" + m.getVersion() + "'";
        name("model", m.getModel());
        name("version", m.getVersion());
        if (m.getPlacement() != Placement.EDGE && m.getPlacement() != Placement.CLOUD) {
            throw new RejectedMessage(IngestResult.MALFORMED, what + ": placement must be EDGE or CLOUD, got "
                    + m.getPlacement());
        }
        if (m.getRequests() < 0 || m.getErrors() < 0) {
            throw new RejectedMessage(IngestResult.MALFORMED, what + ": requests and errors must be below 2^63");
        }
        if (m.getErrors() > m.getRequests()) {
            throw new RejectedMessage(IngestResult.MALFORMED, what + ": " + m.getErrors() + " errors but only "
                    + m.getRequests() + " requests");
        }
        MergeableHistogram h;
        try {
            h = MergeableHistogram.of(m.getLatency());
        } catch (IllegalArgumentException e) {
            throw new RejectedMessage(IngestResult.MALFORMED, what + ": " + e.getMessage());
        }
        return new ModelRow(m.getModel(), m.getVersion(), m.getPlacement().name(), m.getRequests(), m.getErrors(), h);
    }

    private static Inbound status(String topicDevice, byte[] payload, Runnable ack) throws RejectedMessage {
        if (payload.length == 0) {
            throw new RejectedMessage(IngestResult.IGNORED, "empty status (a retained status being cleared)");
        }
        DeviceStatus s;
        try {
            s = DeviceStatus.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new RejectedMessage(IngestResult.MALFORMED, "payload is not a DeviceStatus: " + e.getMessage());
        }
        checkDevice(topicDevice, s.getDeviceId());
        if (s.getState() != DeviceStatus.State.ONLINE && s.getState() != DeviceStatus.State.OFFLINE) {
            throw new RejectedMessage(IngestResult.MALFORMED, "state must be ONLINE or OFFLINE, got " + s.getState());
        }
        return Inbound.status(s, ack);
    }

    private static void checkDevice(String topicDevice, String payloadDevice) throws RejectedMessage {
        if (!topicDevice.equals(payloadDevice)) {
            throw new RejectedMessage(IngestResult.DEVICE_MISMATCH, "published on the topic of device '" + topicDevice
                    + "' but the payload is from device '" + payloadDevice + "'");
        }
    }

    private static void name(String field, String value) throws RejectedMessage {
        if (value.isEmpty() || value.length() > MAX_NAME) {
            throw new RejectedMessage(IngestResult.MALFORMED, field + " must be 1.." + MAX_NAME
                    + " characters, got " + value.length());
        }
    }
}
