package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.telemetry.TelemetryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** The telemetry tables: one transaction per write batch, retention deletes, the online-device count. */
@ApplicationScoped
public class TelemetryStore {
    @Inject
    Session db;

    @Inject
    TelemetryConfig config;

    /** Writes the messages in one transaction; the result of each, in order. */
    @Transactional
    public List<IngestResult> write(List<Inbound> messages, Instant now) {
        Instant rawFrom = now.minus(config.rawRetention());
        Instant rollupFrom = now.minus(config.rollupRetention());
        return db.doReturningWork(c -> new BatchWrite(c, messages, now, rawFrom, rollupFrom).run());
    }

    /** Deletes raw rows and batch records older than the raw retention, rollups older than theirs; rows deleted. */
    @Transactional
    public long deleteExpired(Instant now) {
        Instant rawBefore = now.minus(config.rawRetention());
        Instant rollupBefore = now.minus(config.rollupRetention());
        return db.doReturningWork(c -> {
            long n = 0;
            n += delete(c, "DELETE FROM telemetry_raw WHERE recorded_at < ?", rawBefore);
            n += delete(c, "DELETE FROM telemetry_batches WHERE received_at < ?", rawBefore);
            n += delete(c, "DELETE FROM telemetry_rollups WHERE minute_start < ?", rollupBefore);
            return n;
        });
    }

    @Transactional
    public long countOnline() {
        return db.doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM devices WHERE online");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static int delete(java.sql.Connection c, String sql, Instant before) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.setInstant(ps, 1, before);
            return ps.executeUpdate();
        }
    }
}
