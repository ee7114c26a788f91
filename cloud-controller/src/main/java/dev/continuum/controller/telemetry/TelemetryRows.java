package dev.continuum.controller.telemetry;

import dev.continuum.controller.telemetry.ingest.Sql;
import dev.continuum.proto.v1.LatencyHistogram;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the rollup and raw rows a {@link ReadPlan} names, filtered, and hands each to a {@link Sink}. */
final class TelemetryRows {
    private static final int IDS_PER_QUERY = 500;

    /** Receives one row. */
    interface Sink {
        void row(String deviceId, String model, String version, String placement, long requests, long errors,
                 LatencyHistogram latency);
    }

    /**
     * A WHERE fragment over the columns both tables share, with its parameters.
     *
     * @param deviceIds when not null, only these devices (read in chunks)
     */
    record Filter(String model, String version, String deviceId, List<String> deviceIds) {
        static Filter device(String deviceId) {
            return new Filter(null, null, deviceId, null);
        }

        static Filter modelVersion(String model, String version, List<String> deviceIds) {
            return new Filter(model, version, null, deviceIds);
        }
    }

    private TelemetryRows() {
    }

    static void read(Connection c, Filter f, ReadPlan plan, Sink sink) throws SQLException {
        if (f.deviceIds() == null) {
            readChunk(c, f, null, plan, sink);
            return;
        }
        for (int from = 0; from < f.deviceIds().size(); from += IDS_PER_QUERY) {
            readChunk(c, f, f.deviceIds().subList(from, Math.min(f.deviceIds().size(), from + IDS_PER_QUERY)), plan, sink);
        }
    }

    private static void readChunk(Connection c, Filter f, List<String> ids, ReadPlan plan, Sink sink) throws SQLException {
        if (plan.readsRollups()) {
            query(c, "telemetry_rollups", "minute_start", f, ids, plan.rollupFrom(), plan.rollupTo(), sink);
        }
        for (ReadPlan.Interval i : plan.raw()) {
            query(c, "telemetry_raw", "recorded_at", f, ids, i.from(), i.to(), sink);
        }
    }

    private static void query(Connection c, String table, String timeColumn, Filter f, List<String> ids, Instant from,
                              Instant to, Sink sink) throws SQLException {
        if (!from.isBefore(to)) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT device_id, model_name, version, placement, requests, errors, "
                + "histogram FROM " + table + " WHERE " + timeColumn + " >= ? AND " + timeColumn + " < ?");
        List<String> params = new ArrayList<>();
        if (f.model() != null) {
            sql.append(" AND model_name = ? AND version = ?");
            params.add(f.model());
            params.add(f.version());
        }
        if (f.deviceId() != null) {
            sql.append(" AND device_id = ?");
            params.add(f.deviceId());
        }
        if (ids != null) {
            sql.append(" AND device_id IN (").append(Sql.placeholders(ids.size())).append(')');
            params.addAll(ids);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Sql.setInstant(ps, 1, from);
            Sql.setInstant(ps, 2, to);
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 3, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), LatencyHistogram.parseFrom(rs.getBytes(7)));
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("a stored histogram in " + table + " is corrupt", e);
            }
        }
    }
}
