package dev.continuum.controller.agentlink;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.telemetry.broker.TelemetryEndpoints;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.Placement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * Each device's desired state: its assignments under a revision that rises with every change, and
 * the current telemetry endpoint.
 */
@ApplicationScoped
public class DesiredStateService {
    @Inject
    Session db;

    @Inject
    TelemetryEndpoints telemetry;

    @Transactional
    public DesiredState desiredState(String deviceId) {
        DesiredRevision r = db.find(DesiredRevision.class, deviceId);
        List<Assignment> rows = db.createSelectionQuery("from Assignment where deviceId = :d order by model",
                Assignment.class).setParameter("d", deviceId).getResultList();
        DesiredState.Builder b = DesiredState.newBuilder().setDeviceId(deviceId).setRevision(r == null ? 0 : r.revision)
                .setTelemetry(telemetry.forDevices());
        for (Assignment a : rows) {
            b.addModels(ModelAssignment.newBuilder().setModel(a.model).setVersion(a.version).setSha256(a.sha256)
                    .setSizeBytes(a.sizeBytes)
                    .setPlacement(a.placement == Assignment.PlacementKind.CLOUD ? Placement.CLOUD : Placement.EDGE)
                    .putAllConfig(Json.read(a.configJson, new TypeReference<TreeMap<String, String>>() { })));
        }
        return b.build();
    }

    /** Whether the device's desired state references the artifact (the only artifacts it may fetch). */
    @Transactional
    public boolean mayFetch(String deviceId, String sha256) {
        return db.createSelectionQuery("select count(*) from Assignment where deviceId = :d and sha256 = :s", Long.class)
                .setParameter("d", deviceId).setParameter("s", sha256).getSingleResult() > 0;
    }

    /** Raises the device's revision; call in the transaction that changed its assignments. */
    long bump(String deviceId) {
        DesiredRevision r = db.find(DesiredRevision.class, deviceId, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            r = new DesiredRevision();
            r.deviceId = deviceId;
            r.revision = 1;
            r.updatedAt = Times.now();
            db.persist(r);
            return 1;
        }
        r.revision++;
        r.updatedAt = Times.now();
        return r.revision;
    }
}
