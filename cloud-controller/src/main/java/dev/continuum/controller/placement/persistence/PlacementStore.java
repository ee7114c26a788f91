package dev.continuum.controller.placement.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.placement.PlacementDecision;
import dev.continuum.controller.placement.PlacementLedger;
import dev.continuum.controller.placement.PlacementState;
import dev.continuum.controller.placement.Site;
import dev.continuum.controller.placement.service.PlacementSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hibernate.Session;

/**
 * The {@link PlacementLedger} over the placement tables, and the other reads and writes placement needs.
 * Joins the caller's transaction.
 *
 * <p>History is bounded: a decision is appended when the site, outcome, version or hysteresis state
 * changed, or when the last entry is older than {@code continuum.placement.history-interval}; only the
 * newest {@code continuum.placement.history-limit} entries per (device, model) are kept.
 */
@ApplicationScoped
public class PlacementStore implements PlacementLedger {
    @Inject
    Session db;

    @Inject
    PlacementSettings settings;

    @Override
    @Transactional
    public Optional<Site> pin(String deviceId, String model) {
        return pinRow(deviceId, model).map(p -> Site.valueOf(p.site));
    }

    @Override
    @Transactional
    public Optional<PlacementState> state(String deviceId, String model) {
        return current(deviceId, model).map(p -> new PlacementState(Site.valueOf(p.stateSite),
                p.statePending == null ? null : Site.valueOf(p.statePending), p.statePendingCount,
                p.statePendingSince, !"MEASURED".equals(Json.read(p.decisionJson, new TypeReference<JsonNode>() { })
                        .path("edge").path("basis").asText())));
    }

    @Override
    @Transactional
    public void record(String deviceId, String model, String version, PlacementDecision d, PlacementState next) {
        PlacementEntity p = current(deviceId, model).orElse(null);
        boolean fresh = p == null;
        boolean worthKeeping = fresh || !p.version.equals(version) || !p.site.equals(d.site().name())
                || !p.outcome.equals(d.outcome().name()) || !Objects.equals(p.statePending, name(next.pending()))
                || p.statePendingCount != next.pendingCount() || lastKeptBefore(deviceId, model, d.decidedAt());
        if (fresh) {
            p = new PlacementEntity();
            p.deviceId = deviceId;
            p.model = model;
        }
        p.version = version;
        p.site = d.site().name();
        p.outcome = d.outcome().name();
        p.budgetMillis = d.inputs().budgetMillis();
        p.preference = d.preference().name();
        p.edgeP95Millis = d.edge().p95Millis();
        p.cloudP95Millis = d.cloud().p95Millis();
        p.reason = d.reason();
        p.decisionJson = Json.write(d);
        p.decidedAt = d.decidedAt();
        p.stateSite = next.current().name();
        p.statePending = name(next.pending());
        p.statePendingCount = next.pendingCount();
        p.statePendingSince = next.pendingSince();
        if (fresh) {
            db.persist(p);
        }
        if (worthKeeping) {
            keep(deviceId, model, version, d, p.decisionJson);
        }
    }

    /** The current placement of the model on the device. */
    @Transactional
    public Optional<PlacementEntity> current(String deviceId, String model) {
        return Optional.ofNullable(db.find(PlacementEntity.class, new DeviceModelKey(deviceId, model)));
    }

    /** Current placements, by device then model, after the given key (null: from the start). */
    @Transactional
    public List<PlacementEntity> page(String deviceId, String model, DeviceModelKey after, int limit) {
        StringBuilder q = new StringBuilder("from PlacementEntity where 1 = 1");
        if (deviceId != null) {
            q.append(" and deviceId = :d");
        }
        if (model != null) {
            q.append(" and model = :m");
        }
        if (after != null) {
            q.append(" and (deviceId > :ad or (deviceId = :ad and model > :am))");
        }
        var query = db.createSelectionQuery(q.append(" order by deviceId, model").toString(), PlacementEntity.class);
        if (deviceId != null) {
            query.setParameter("d", deviceId);
        }
        if (model != null) {
            query.setParameter("m", model);
        }
        if (after != null) {
            query.setParameter("ad", after.deviceId).setParameter("am", after.model);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /** Removes the current placement (the model left the device, or placement no longer decides it); history stays. */
    @Transactional
    public void forget(String deviceId, String model) {
        current(deviceId, model).ifPresent(db::remove);
    }

    @Transactional
    public Optional<PlacementPinEntity> pinRow(String deviceId, String model) {
        return Optional.ofNullable(db.find(PlacementPinEntity.class, new DeviceModelKey(deviceId, model)));
    }

    @Transactional
    public void setPin(String deviceId, String model, Site site, String by) {
        PlacementPinEntity p = pinRow(deviceId, model).orElse(null);
        boolean fresh = p == null;
        if (fresh) {
            p = new PlacementPinEntity();
            p.deviceId = deviceId;
            p.model = model;
        }
        p.site = site.name();
        p.pinnedBy = by;
        p.pinnedAt = Times.now();
        if (fresh) {
            db.persist(p);
        }
    }

    /** Whether there was a pin to remove. */
    @Transactional
    public boolean removePin(String deviceId, String model) {
        return db.createMutationQuery("delete from PlacementPinEntity where deviceId = :d and model = :m")
                .setParameter("d", deviceId).setParameter("m", model).executeUpdate() > 0;
    }

    /** The pins among these (device, model) keys. */
    @Transactional
    public List<PlacementPinEntity> pins(String deviceId, String model) {
        StringBuilder q = new StringBuilder("from PlacementPinEntity where 1 = 1");
        if (deviceId != null) {
            q.append(" and deviceId = :d");
        }
        if (model != null) {
            q.append(" and model = :m");
        }
        var query = db.createSelectionQuery(q.toString(), PlacementPinEntity.class);
        if (deviceId != null) {
            query.setParameter("d", deviceId);
        }
        if (model != null) {
            query.setParameter("m", model);
        }
        return query.getResultList();
    }

    /** The newest decisions first. */
    @Transactional
    public List<PlacementDecisionEntity> history(String deviceId, String model, int limit) {
        return db.createSelectionQuery("from PlacementDecisionEntity where deviceId = :d and model = :m "
                        + "order by id desc", PlacementDecisionEntity.class)
                .setParameter("d", deviceId).setParameter("m", model).setMaxResults(limit).getResultList();
    }

    private boolean lastKeptBefore(String deviceId, String model, Instant decidedAt) {
        Instant last = db.createSelectionQuery("select max(decidedAt) from PlacementDecisionEntity where deviceId = :d "
                        + "and model = :m", Instant.class).setParameter("d", deviceId).setParameter("m", model)
                .getSingleResult();
        return last == null || !last.plus(settings.historyInterval()).isAfter(decidedAt);
    }

    private void keep(String deviceId, String model, String version, PlacementDecision d, String json) {
        PlacementDecisionEntity h = new PlacementDecisionEntity();
        h.deviceId = deviceId;
        h.model = model;
        h.version = version;
        h.site = d.site().name();
        h.outcome = d.outcome().name();
        h.reason = d.reason();
        h.decisionJson = json;
        h.decidedAt = d.decidedAt();
        db.persist(h);
        db.flush();
        List<Long> beyond = db.createSelectionQuery("select id from PlacementDecisionEntity where deviceId = :d "
                        + "and model = :m order by id desc", Long.class).setParameter("d", deviceId)
                .setParameter("m", model).setFirstResult(settings.historyLimit()).setMaxResults(1).getResultList();
        if (!beyond.isEmpty()) {
            db.createMutationQuery("delete from PlacementDecisionEntity where deviceId = :d and model = :m "
                            + "and id <= :id").setParameter("d", deviceId).setParameter("m", model)
                    .setParameter("id", beyond.get(0)).executeUpdate();
        }
    }

    private static String name(Site s) {
        return s == null ? null : s.name();
    }
}
