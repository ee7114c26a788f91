package dev.continuum.controller.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
}
