package dev.continuum.controller.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.LatencyHistogram;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MessageParserTest {
    static final String TOPIC = "continuum/v1/devices/dev-1/telemetry";
    static final Runnable NO_ACK = () -> { };

    static TelemetryBatch.Builder batch() {
        return TelemetryBatch.newBuilder().setDeviceId("dev-1").setSequence(1).setWindowStartMillis(1000)
                .setWindowEndMillis(6000);
    }

    static ModelTelemetry.Builder model(long requests, long errors, long... micros) {
        MergeableHistogram h = new MergeableHistogram();
        for (long m : micros) {
            h.record(m);
        }
        return ModelTelemetry.newBuilder().setModel("det").setVersion("1").setPlacement(Placement.EDGE)
                .setRequests(requests).setErrors(errors).setLatency(h.toProto());
    }

    static void rejected(IngestResult result, String detail, ThrowingCallable parse) {
        assertThatThrownBy(parse).isInstanceOfSatisfying(RejectedMessage.class,
                r -> assertThat(r.result()).isEqualTo(result)).hasMessageContaining(detail);
    }

    @Test
    void rowsOfTheSameModelVersionAndPlacementAreMerged() throws Exception {
        Inbound m = MessageParser.parse(TOPIC, batch().addModels(model(2, 1, 100, 200)).addModels(model(3, 0, 300))
                .addModels(model(1, 0).setPlacement(Placement.CLOUD)).build().toByteArray(), NO_ACK);
        assertThat(m.models()).hasSize(2);
        assertThat(m.models().get(0).requests()).isEqualTo(5);
        assertThat(m.models().get(0).errors()).isEqualTo(1);
        assertThat(m.models().get(0).latency().count()).isEqualTo(3);
        assertThat(m.models().get(1).placement()).isEqualTo("CLOUD");
    }

    @Test
    void badPayloadsAreRefusedNamingWhatIsWrong() {
        rejected(IngestResult.MALFORMED, "not a TelemetryBatch", () -> MessageParser.parse(TOPIC, new byte[] {(byte) 0xff}, NO_ACK));
        rejected(IngestResult.DEVICE_MISMATCH, "payload is from device 'dev-2'", () -> MessageParser.parse(TOPIC,
                batch().setDeviceId("dev-2").build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "sequence must be at least 1", () -> MessageParser.parse(TOPIC,
                batch().setSequence(0).build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "window ends", () -> MessageParser.parse(TOPIC,
                batch().setWindowEndMillis(10).build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "placement must be EDGE or CLOUD", () -> MessageParser.parse(TOPIC,
                batch().addModels(model(1, 0).setPlacement(Placement.PLACEMENT_UNSPECIFIED)).build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "3 errors but only 2 requests", () -> MessageParser.parse(TOPIC,
                batch().addModels(model(2, 3)).build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "model must be 1..128", () -> MessageParser.parse(TOPIC,
                batch().addModels(model(1, 0).setModel("")).build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "version must be 1..128", () -> MessageParser.parse(TOPIC,
                batch().addModels(model(1, 0).setVersion("v".repeat(129))).build().toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "outside 0..320", () -> MessageParser.parse(TOPIC, batch().addModels(model(1, 0)
                .setLatency(LatencyHistogram.newBuilder().setFirstBucket(320).addCounts(1).addCounts(1))).build()
                .toByteArray(), NO_ACK));
        rejected(IngestResult.MALFORMED, "below 2^63", () -> MessageParser.parse(TOPIC,
                batch().addModels(model(-1, 0)).build().toByteArray(), NO_ACK));
        rejected(IngestResult.UNEXPECTED_TOPIC, "not a device's", () -> MessageParser.parse("continuum/v1/other",
                batch().build().toByteArray(), NO_ACK));
    }

    @Test
    void statusesNameTheirDeviceAndAKnownStateAndAnEmptyOneIsIgnored() throws Exception {
        String topic = "continuum/v1/devices/dev-1/status";
        Inbound s = MessageParser.parse(topic, DeviceStatus.newBuilder().setDeviceId("dev-1")
                .setState(DeviceStatus.State.OFFLINE).build().toByteArray(), NO_ACK);
        assertThat(s.status().getState()).isEqualTo(DeviceStatus.State.OFFLINE);
        rejected(IngestResult.MALFORMED, "state must be ONLINE or OFFLINE", () -> MessageParser.parse(topic,
                DeviceStatus.newBuilder().setDeviceId("dev-1").build().toByteArray(), NO_ACK));
        rejected(IngestResult.DEVICE_MISMATCH, "dev-9", () -> MessageParser.parse(topic, DeviceStatus.newBuilder()
                .setDeviceId("dev-9").setState(DeviceStatus.State.ONLINE).build().toByteArray(), NO_ACK));
        rejected(IngestResult.IGNORED, "cleared", () -> MessageParser.parse(topic, new byte[0], NO_ACK));
    }

    @Test
    void aDeviceWhoseClockRunsAheadIsFiledAtTheTimeOfReceipt() {
        java.time.Instant received = java.time.Instant.parse("2024-05-01T10:00:00Z");
        assertThat(BatchWrite.recordedAt(batch().setWindowEndMillis(received.toEpochMilli() + 60_000).build(), received))
                .isEqualTo(received);
        assertThat(BatchWrite.recordedAt(batch().setWindowEndMillis(received.toEpochMilli() - 5_000).build(), received))
                .isEqualTo(received.minusSeconds(5));
        assertThat(BatchWrite.recordedAt(batch().setWindowStartMillis(0).setWindowEndMillis(0).build(), received))
                .isEqualTo(received);
    }
}
