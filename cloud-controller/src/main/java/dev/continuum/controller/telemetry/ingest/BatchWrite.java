package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.telemetry.Topics;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.TelemetryBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One writer transaction over a list of parsed messages: drops those of unknown devices, counts each
 * (device, sequence) once, stores raw rows, adds to the per-minute rollups, keeps each device's newest
 * vitals, and applies status changes in arrival order.
 */
final class BatchWrite {
    private static final String INSERT_SEEN = "INSERT INTO telemetry_batches (device_id, batch_sequence, received_at) "
            + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_RAW = "INSERT INTO telemetry_raw (device_id, batch_sequence, model_name, version, "
            + "placement, window_start_millis, window_end_millis, recorded_at, requests, errors, histogram) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String STATUS = "UPDATE devices SET online = ?, online_changed_at = ? WHERE id = ? AND online <> ?";

    private final Connection c;
    private final List<Inbound> messages;
    private final Instant now;
    private final Instant rawFrom;
    private final Instant rollupFrom;
    private final IngestResult[] results;

    BatchWrite(Connection c, List<Inbound> messages, Instant now, Instant rawFrom, Instant rollupFrom) {
        this.c = c;
        this.messages = messages;
        this.now = now;
        this.rawFrom = rawFrom;
        this.rollupFrom = rollupFrom;
        this.results = new IngestResult[messages.size()];
    }

    /** The time a batch is filed under: the end of its window, unless the device's clock is ahead of ours. */
    static Instant recordedAt(TelemetryBatch b, Instant receivedAt) {
        if (b.getWindowEndMillis() <= 0) {
            return receivedAt;
        }
        Instant end = Instant.ofEpochMilli(b.getWindowEndMillis());
        return end.isAfter(receivedAt) ? receivedAt : end;
    }

    List<IngestResult> run() throws SQLException {
        Set<String> known = knownDevices();
        List<Integer> batches = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Inbound m = messages.get(i);
            if (!known.contains(m.deviceId())) {
                results[i] = IngestResult.UNKNOWN_DEVICE;
            } else if (m.kind() == Topics.Kind.STATUS) {
                statuses.add(i);
            } else {
                batches.add(i);
            }
        }
        List<Integer> fresh = firstSeen(batches);
        writeBatches(fresh);
        applyStatuses(statuses);
        return Arrays.asList(results);
    }

    private Set<String> knownDevices() throws SQLException {
        Set<String> ids = new HashSet<>();
        messages.forEach(m -> ids.add(m.deviceId()));
        Set<String> known = new HashSet<>();
        List<String> list = new ArrayList<>(ids);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM devices WHERE id IN ("
                + Sql.placeholders(list.size()) + ")")) {
            for (int i = 0; i < list.size(); i++) {
                ps.setString(i + 1, list.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        return known;
    }

    /** Records each (device, sequence); returns the messages seen for the first time, marks the rest duplicates. */
    private List<Integer> firstSeen(List<Integer> batches) throws SQLException {
        if (batches.isEmpty()) {
            return List.of();
        }
        List<Integer> fresh = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_SEEN)) {
            for (int i : batches) {
                ps.setString(1, messages.get(i).deviceId());
                ps.setLong(2, messages.get(i).batch().getSequence());
                Sql.setInstant(ps, 3, now);
                ps.addBatch();
            }
            int[] counts = Sql.executeBatch(ps);
            for (int j = 0; j < counts.length; j++) {
                int i = batches.get(j);
                if (counts[j] == 0) {
                    results[i] = IngestResult.DUPLICATE;
                } else {
                    fresh.add(i);
                }
            }
        }
        return fresh;
    }

    private void writeBatches(List<Integer> fresh) throws SQLException {
        RollupUpserts rollups = new RollupUpserts();
        Map<String, Inbound> newestVitals = new LinkedHashMap<>();
        try (PreparedStatement raw = c.prepareStatement(INSERT_RAW)) {
            boolean anyRaw = false;
            for (int i : fresh) {
                Inbound m = messages.get(i);
                Instant at = recordedAt(m.batch(), now);
                if (at.isBefore(rollupFrom)) {
                    results[i] = IngestResult.EXPIRED;
                    continue;
                }
                results[i] = IngestResult.ACCEPTED;
                Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
                for (ModelRow r : m.models()) {
                    rollups.add(new RollupKey(m.deviceId(), minute, r.model(), r.version(), r.placement()), r);
                    if (!at.isBefore(rawFrom)) {
                        bindRaw(raw, m.batch(), r, at);
                        raw.addBatch();
                        anyRaw = true;
                    }
                }
                if (m.batch().hasVitals() || m.batch().hasOutbox()) {
                    newestVitals.merge(m.deviceId(), m, (a, b) ->
                            Long.compareUnsigned(a.batch().getSequence(), b.batch().getSequence()) >= 0 ? a : b);
                }
            }
            if (anyRaw) {
                Sql.executeBatch(raw);
            }
        }
        rollups.write(c);
        VitalsUpserts.write(c, newestVitals.values(), now);
    }

    private static void bindRaw(PreparedStatement ps, TelemetryBatch b, ModelRow r, Instant at) throws SQLException {
        ps.setString(1, b.getDeviceId());
        ps.setLong(2, b.getSequence());
        ps.setString(3, r.model());
        ps.setString(4, r.version());
        ps.setString(5, r.placement());
        ps.setLong(6, b.getWindowStartMillis());
        ps.setLong(7, b.getWindowEndMillis());
        Sql.setInstant(ps, 8, at);
        ps.setLong(9, r.requests());
        ps.setLong(10, r.errors());
        ps.setBytes(11, r.latency().toProto().toByteArray());
    }

    private void applyStatuses(List<Integer> statuses) throws SQLException {
        if (statuses.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(STATUS)) {
            for (int i : statuses) {
                boolean online = messages.get(i).status().getState() == DeviceStatus.State.ONLINE;
                ps.setBoolean(1, online);
                Sql.setInstant(ps, 2, now);
                ps.setString(3, messages.get(i).deviceId());
                ps.setBoolean(4, online);
                ps.addBatch();
                results[i] = IngestResult.ACCEPTED;
            }
            ps.executeBatch();
        }
    }
}
