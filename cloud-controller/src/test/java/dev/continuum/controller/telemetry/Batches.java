package dev.continuum.controller.telemetry;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.DeviceVitals;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.OutboxStats;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import java.time.Instant;

/** Telemetry batches as an agent builds them, with latency histograms recorded from given values. */
final class Batches {
    private final TelemetryBatch.Builder b;

    private Batches(String deviceId, long sequence, Instant windowEnd) {
        b = TelemetryBatch.newBuilder().setDeviceId(deviceId).setSequence(sequence)
                .setWindowStartMillis(windowEnd.toEpochMilli() - 5000).setWindowEndMillis(windowEnd.toEpochMilli());
    }

    static Batches of(String deviceId, long sequence, Instant windowEnd) {
        return new Batches(deviceId, sequence, windowEnd);
    }

    /** Requests of one model version; each latency value is one timed request. */
    Batches model(String model, String version, Placement placement, long requests, long errors, long... latencyMicros) {
        MergeableHistogram h = new MergeableHistogram();
        for (long v : latencyMicros) {
            h.record(v);
        }
        b.addModels(ModelTelemetry.newBuilder().setModel(model).setVersion(version).setPlacement(placement)
                .setRequests(requests).setErrors(errors).setLatency(h.toProto()));
        return this;
    }

    Batches vitals(double cpuLoad, long rttP50Micros, long rttP95Micros, long uplinkBytesPerSecond, long dropped) {
        b.setVitals(DeviceVitals.newBuilder().setCpuLoad(cpuLoad).setMemoryUsedBytes(1_000_000).setMemoryTotalBytes(4_000_000)
                .setRttP50Micros(rttP50Micros).setRttP95Micros(rttP95Micros).setUplinkBytesPerSecond(uplinkBytesPerSecond));
        b.setOutbox(OutboxStats.newBuilder().setDroppedBatchesTotal(dropped).setBacklogBatches(2));
        return this;
    }

    TelemetryBatch build() {
        return b.build();
    }

    byte[] bytes() {
        return build().toByteArray();
    }
}
