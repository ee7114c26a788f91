package dev.continuum.controller.telemetry.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;

/** JDBC helpers shared by the telemetry writer and queries; SQL that runs unchanged on PostgreSQL and H2. */
public final class Sql {
    private Sql() {
    }

    public static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    public static Instant instant(java.sql.ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** {@code ?, ?, ?} for an IN list. */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /**
     * Runs a batch and returns its update counts, which must be exact: the writer tells new rows from
     * conflicts by them (the PostgreSQL driver's {@code reWriteBatchedInserts} would hide them).
     */
    static int[] executeBatch(PreparedStatement ps) throws SQLException {
        int[] counts = ps.executeBatch();
        for (int c : counts) {
            if (c == Statement.SUCCESS_NO_INFO) {
                throw new IllegalStateException("the JDBC driver does not report row counts of batched statements; "
                        + "turn off reWriteBatchedInserts on the datasource URL");
            }
        }
        return counts;
    }
}
