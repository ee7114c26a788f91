package dev.continuum.controller.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.Session;

/** Looks behind the API at the telemetry tables. */
@ApplicationScoped
public class TelemetryRowsProbe {
    @Inject
    Session db;

    @Transactional
    public long raw(String deviceId) {
        return count("select count(*) from telemetry_raw where device_id = :d", deviceId);
    }

    @Transactional
    public long rollups(String deviceId) {
        return count("select count(*) from telemetry_rollups where device_id = :d", deviceId);
    }

    @Transactional
    public long rollupRequests(String deviceId) {
        return count("select coalesce(sum(requests), 0) from telemetry_rollups where device_id = :d", deviceId);
    }

    private long count(String sql, String deviceId) {
        return ((Number) db.createNativeQuery(sql, Object.class).setParameter("d", deviceId).getSingleResult()).longValue();
    }

    /** The columns of each index of a table in the datastore's current schema, lower case, by index name. */
    @Transactional
    public Map<String, List<String>> indexColumns(String table) {
        return db.doReturningWork(c -> {
            DatabaseMetaData meta = c.getMetaData();
            Map<String, List<String>> indexes = new TreeMap<>();
            // both datastores keep unquoted names in lower case (H2 by DATABASE_TO_LOWER)
            try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
                while (rs.next()) {
                    if (rs.getString("COLUMN_NAME") != null) {
                        indexes.computeIfAbsent(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT),
                                k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            return indexes;
        });
    }

    /** PostgreSQL's plan for a statement with these parameters ({@code EXPLAIN}, not run), one line per node. */
    @Transactional
    public String explain(String sql, Object... params) {
        return db.doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }
}
