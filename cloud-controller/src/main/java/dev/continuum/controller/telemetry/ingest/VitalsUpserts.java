package dev.continuum.controller.telemetry.ingest;

import dev.continuum.proto.v1.DeviceVitals;
import dev.continuum.proto.v1.OutboxStats;
import dev.continuum.proto.v1.TelemetryBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Keeps each device's newest vitals: a batch replaces the stored row only if its sequence is higher. */
final class VitalsUpserts {
    private static final String COLUMNS = "batch_sequence, reported_at, cpu_load, memory_used_bytes, memory_total_bytes, "
            + "rtt_p50_micros, rtt_p95_micros, uplink_bytes_per_second, outbox_dropped_total, outbox_backlog";
    private static final String INSERT = "INSERT INTO device_vitals (device_id, " + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String UPDATE = "UPDATE device_vitals SET batch_sequence = ?, reported_at = ?, cpu_load = ?, "
            + "memory_used_bytes = ?, memory_total_bytes = ?, rtt_p50_micros = ?, rtt_p95_micros = ?, "
            + "uplink_bytes_per_second = ?, outbox_dropped_total = ?, outbox_backlog = ? "
            + "WHERE device_id = ? AND batch_sequence < ?";

    private VitalsUpserts() {
    }

    static void write(Connection c, Collection<Inbound> newest, Instant receivedAt) throws SQLException {
        if (newest.isEmpty()) {
            return;
        }
        List<Inbound> existing = new ArrayList<>();
        List<Inbound> list = new ArrayList<>(newest);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Inbound m : list) {
                ps.setString(1, m.deviceId());
                bindValues(ps, 2, m.batch(), receivedAt);
                ps.addBatch();
            }
            int[] counts = Sql.executeBatch(ps);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    existing.add(list.get(i));
                }
            }
        }
        if (existing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Inbound m : existing) {
                bindValues(ps, 1, m.batch(), receivedAt);
                ps.setString(11, m.deviceId());
                ps.setLong(12, m.batch().getSequence());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Binds the ten value columns from {@code at}; unknown readings (negative load, zero RTT or rate) as NULL. */
    private static void bindValues(PreparedStatement ps, int at, TelemetryBatch b, Instant receivedAt)
            throws SQLException {
        DeviceVitals v = b.getVitals();
        OutboxStats o = b.getOutbox();
        ps.setLong(at, b.getSequence());
        Sql.setInstant(ps, at + 1, BatchWrite.recordedAt(b, receivedAt));
        if (v.getCpuLoad() >= 0 && b.hasVitals()) {
            ps.setDouble(at + 2, v.getCpuLoad());
        } else {
            ps.setNull(at + 2, Types.DOUBLE);
        }
        positiveOrNull(ps, at + 3, v.getMemoryUsedBytes());
        positiveOrNull(ps, at + 4, v.getMemoryTotalBytes());
        positiveOrNull(ps, at + 5, v.getRttP50Micros());
        positiveOrNull(ps, at + 6, v.getRttP95Micros());
        positiveOrNull(ps, at + 7, v.getUplinkBytesPerSecond());
        ps.setLong(at + 8, o.getDroppedBatchesTotal());
        ps.setLong(at + 9, o.getBacklogBatches());
    }

    private static void positiveOrNull(PreparedStatement ps, int index, long value) throws SQLException {
        if (value > 0) {
            ps.setLong(index, value);
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }
}
