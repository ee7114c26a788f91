package dev.continuum.controller.telemetry.ingest;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.LatencyHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds per-minute deltas to {@code telemetry_rollups}, safely when another replica adds to the same
 * rows at the same time: each row is first inserted with the delta if absent ({@code ON CONFLICT DO
 * NOTHING}, which waits for a concurrent inserter to commit), and the rows that already existed are
 * locked ({@code FOR UPDATE}), merged in Java (histograms cannot be added in SQL) and written back.
 */
final class RollupUpserts {
    private static final int KEYS_PER_SELECT = 100;
    private static final String INSERT = "INSERT INTO telemetry_rollups (device_id, minute_start, model_name, version, "
            + "placement, requests, errors, histogram) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String UPDATE = "UPDATE telemetry_rollups SET requests = ?, errors = ?, histogram = ? "
            + "WHERE device_id = ? AND minute_start = ? AND model_name = ? AND version = ? AND placement = ?";

    /** The running sum of one row's delta. */
    static final class Delta {
        long requests;
        long errors;
        final MergeableHistogram latency = new MergeableHistogram();

        void add(ModelRow r) {
            requests += r.requests();
            errors += r.errors();
            latency.add(r.latency());
        }
    }

    private final TreeMap<RollupKey, Delta> deltas = new TreeMap<>();

    void add(RollupKey key, ModelRow row) {
        deltas.computeIfAbsent(key, k -> new Delta()).add(row);
    }

    boolean isEmpty() {
        return deltas.isEmpty();
    }

    void write(Connection c) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<RollupKey> keys = new ArrayList<>(deltas.keySet()); // sorted: a fixed lock order
        List<RollupKey> existing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (RollupKey k : keys) {
                Delta d = deltas.get(k);
                bindKey(ps, 1, k);
                ps.setLong(6, d.requests);
                ps.setLong(7, d.errors);
                ps.setBytes(8, d.latency.toProto().toByteArray());
                ps.addBatch();
            }
            int[] counts = Sql.executeBatch(ps);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    existing.add(keys.get(i));
                }
            }
        }
        if (existing.isEmpty()) {
            return;
        }
        Map<RollupKey, Delta> merged = lockAndRead(c, existing);
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (RollupKey k : existing) {
                Delta stored = merged.get(k);
                if (stored == null) {
                    throw new IllegalStateException("rollup row " + k + " conflicted on insert but cannot be read");
                }
                Delta d = deltas.get(k);
                stored.requests += d.requests;
                stored.errors += d.errors;
                stored.latency.add(d.latency);
                ps.setLong(1, stored.requests);
                ps.setLong(2, stored.errors);
                ps.setBytes(3, stored.latency.toProto().toByteArray());
                bindKey(ps, 4, k);
                ps.addBatch();
            }
            Sql.executeBatch(ps);
        }
    }

    /** Locks the rows of the keys (in key order, chunk by chunk) and reads their current values. */
    private static Map<RollupKey, Delta> lockAndRead(Connection c, List<RollupKey> keys) throws SQLException {
        Map<RollupKey, Delta> rows = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_SELECT) {
            List<RollupKey> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_SELECT));
            String tuples = String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)"));
            String sql = "SELECT device_id, minute_start, model_name, version, placement, requests, errors, histogram "
                    + "FROM telemetry_rollups WHERE (device_id, minute_start, model_name, version, placement) IN ("
                    + tuples + ") ORDER BY device_id, minute_start, model_name, version, placement FOR UPDATE";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (RollupKey k : chunk) {
                    bindKey(ps, i, k);
                    i += 5;
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RollupKey k = new RollupKey(rs.getString(1), Sql.instant(rs, "minute_start"), rs.getString(3),
                                rs.getString(4), rs.getString(5));
                        Delta d = new Delta();
                        d.requests = rs.getLong(6);
                        d.errors = rs.getLong(7);
                        d.latency.add(parse(rs.getBytes(8), k));
                        rows.put(k, d);
                    }
                }
            }
        }
        return rows;
    }

    private static LatencyHistogram parse(byte[] bytes, RollupKey k) {
        try {
            return LatencyHistogram.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored histogram of rollup " + k + " is corrupt", e);
        }
    }

    private static void bindKey(PreparedStatement ps, int at, RollupKey k) throws SQLException {
        ps.setString(at, k.deviceId());
        Sql.setInstant(ps, at + 1, k.minute());
        ps.setString(at + 2, k.model());
        ps.setString(at + 3, k.version());
        ps.setString(at + 4, k.placement());
    }
}
