package dev.continuum.benchmarks.telemetry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The benchmark's view of the controller's PostgreSQL database: inserts the simulated devices (so the
 * controller knows them, as if enrolled) and counts what the controller ingested for them.
 */
final class FleetTable implements AutoCloseable {
    private final Connection c;
    private final String prefix;

    FleetTable(String jdbc, String user, String password, String prefix) throws SQLException {
        this.c = DriverManager.getConnection(jdbc, user, password);
        this.prefix = prefix;
    }

    String deviceId(int i) {
        return prefix + i;
    }

    void insertDevices(int n) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (id, name, installed_models_json, created_at, "
                + "updated_at, row_version) VALUES (?, ?, '[]', ?, ?, 0)")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < n; i++) {
                ps.setString(1, deviceId(i));
                ps.setString(2, "benchmark device " + i);
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    long batches() throws SQLException {
        return count("SELECT count(*) FROM telemetry_batches WHERE device_id LIKE ?");
    }

    long rawRows() throws SQLException {
        return count("SELECT count(*) FROM telemetry_raw WHERE device_id LIKE ?");
    }

    /** Removes the simulated devices and everything recorded for them. */
    void cleanUp() throws SQLException {
        for (String table : new String[] {"telemetry_raw", "telemetry_rollups", "telemetry_batches", "devices"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE "
                    + (table.equals("devices") ? "id" : "device_id") + " LIKE ?")) {
                ps.setString(1, prefix + "%");
                ps.executeUpdate();
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
