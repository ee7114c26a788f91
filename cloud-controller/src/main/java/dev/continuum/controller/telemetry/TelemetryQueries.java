package dev.continuum.controller.telemetry;

import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.fleet.Device;
import dev.continuum.controller.telemetry.TelemetryViews.DeviceLine;
import dev.continuum.controller.telemetry.TelemetryViews.DeviceTelemetry;
import dev.continuum.controller.telemetry.TelemetryViews.ModelLine;
import dev.continuum.controller.telemetry.TelemetryViews.ModelVersionTelemetry;
import dev.continuum.controller.telemetry.ingest.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * Telemetry as the rest of the controller reads it: aggregates of a model version over a window
 * (for placement and rollout gates, and the REST API) and each device's newest vitals. Windows
 * within the raw retention are exact; older edges are widened to whole minutes (see {@link ReadPlan}).
 */
@ApplicationScoped
public class TelemetryQueries {
    @Inject
    Session db;

    @Inject
    TelemetryConfig config;

    /**
     * Requests, errors and latency quantiles of a model version in [since, until) on the given
     * devices, or on every device when {@code deviceIds} is null.
     */
    @Transactional
    public Aggregate aggregate(String model, String version, Collection<String> deviceIds, Instant since, Instant until) {
        ReadPlan plan = plan(since, until);
        Tally total = new Tally();
        List<String> ids = deviceIds == null ? null : List.copyOf(deviceIds);
        read(TelemetryRows.Filter.modelVersion(model, version, ids), plan,
                (d, m, v, placement, req, err, h) -> total.add(placement, req, err, h));
        return total.aggregate();
    }

    /** The newest vitals of each device that reported any; devices without are left out. */
    @Transactional
    public Map<String, DeviceVitalsView> latestVitals(Collection<String> deviceIds) {
        Map<String, DeviceVitalsView> out = new HashMap<>();
        List<String> ids = List.copyOf(deviceIds);
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            db.doWork(c -> VitalsRows.read(c, chunk, out));
        }
        return out;
    }

    @Transactional
    public Optional<DeviceVitalsView> latestVitals(String deviceId) {
        return Optional.ofNullable(latestVitals(List.of(deviceId)).get(deviceId));
    }

    /** A device's traffic by model version; 404 when the device does not exist. */
    @Transactional
    public DeviceTelemetry device(String deviceId, Instant since, Instant until) {
        if (db.find(Device.class, deviceId) == null) {
            throw new NotFoundException("device", deviceId, "id");
        }
        ReadPlan plan = plan(since, until);
        Tally total = new Tally();
        Map<String, Tally> byModel = new TreeMap<>();
        read(TelemetryRows.Filter.device(deviceId), plan, (d, m, v, placement, req, err, h) -> {
            total.add(placement, req, err, h);
            byModel.computeIfAbsent(m + '\0' + v, k -> new Tally()).add(placement, req, err, h);
        });
        List<ModelLine> models = new ArrayList<>();
        byModel.forEach((k, t) -> {
            int sep = k.indexOf('\0');
            models.add(ModelLine.of(k.substring(0, sep), k.substring(sep + 1), t.aggregate()));
        });
        Aggregate a = total.aggregate();
        return new DeviceTelemetry(deviceId, plan.since(), plan.until(), a.requests(), a.errors(), a.offloaded(),
                TelemetryViews.millis(a, a.p50Micros()), TelemetryViews.millis(a, a.p95Micros()),
                TelemetryViews.millis(a, a.p99Micros()), models, latestVitals(deviceId).orElse(null));
    }

    /** A model version's traffic by device; 404 when the model or the version does not exist. */
    @Transactional
    public ModelVersionTelemetry modelVersion(String model, String version, Instant since, Instant until) {
        Long models = db.createSelectionQuery("select count(*) from ModelEntity where name = :n", Long.class)
                .setParameter("n", model).getSingleResult();
        if (models == 0) {
            throw new NotFoundException("model", model, "name");
        }
        Long versions = db.createSelectionQuery(
                        "select count(*) from ModelVersionEntity v where v.model.name = :n and v.version = :v", Long.class)
                .setParameter("n", model).setParameter("v", version).getSingleResult();
        if (versions == 0) {
            throw new NotFoundException("version", model + ":" + version, "version");
        }
        ReadPlan plan = plan(since, until);
        Tally total = new Tally();
        Map<String, Tally> byDevice = new TreeMap<>();
        read(TelemetryRows.Filter.modelVersion(model, version, null), plan, (d, m, v, placement, req, err, h) -> {
            total.add(placement, req, err, h);
            byDevice.computeIfAbsent(d, k -> new Tally()).add(placement, req, err, h);
        });
        List<DeviceLine> devices = new ArrayList<>();
        byDevice.forEach((d, t) -> devices.add(DeviceLine.of(d, t.aggregate())));
        Aggregate a = total.aggregate();
        return new ModelVersionTelemetry(model, version, plan.since(), plan.until(), a.requests(), a.errors(),
                a.offloaded(), TelemetryViews.millis(a, a.p50Micros()), TelemetryViews.millis(a, a.p95Micros()),
                TelemetryViews.millis(a, a.p99Micros()), devices);
    }

    private ReadPlan plan(Instant since, Instant until) {
        return ReadPlan.of(since, until, Times.now().minus(config.rawRetention()));
    }

    private void read(TelemetryRows.Filter f, ReadPlan plan, TelemetryRows.Sink sink) {
        db.doWork(c -> TelemetryRows.read(c, f, plan, sink));
    }

    /** Reads {@code device_vitals}. */
    private static final class VitalsRows {
        static void read(Connection c, List<String> ids, Map<String, DeviceVitalsView> out) throws SQLException {
            if (ids.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, batch_sequence, reported_at, cpu_load, "
                    + "memory_used_bytes, memory_total_bytes, rtt_p50_micros, rtt_p95_micros, uplink_bytes_per_second, "
                    + "outbox_dropped_total, outbox_backlog FROM device_vitals WHERE device_id IN ("
                    + Sql.placeholders(ids.size()) + ")")) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 1, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new DeviceVitalsView(rs.getString(1), rs.getLong(2),
                                Sql.instant(rs, "reported_at"), rs.getObject(4, Double.class), rs.getObject(5, Long.class),
                                rs.getObject(6, Long.class), rs.getObject(7, Long.class), rs.getObject(8, Long.class),
                                rs.getObject(9, Long.class), rs.getLong(10), rs.getLong(11)));
                    }
                }
            }
        }
    }
}
