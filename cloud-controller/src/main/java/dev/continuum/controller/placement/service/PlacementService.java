package dev.continuum.controller.placement.service;

import dev.continuum.controller.agentlink.Assignment.PlacementKind;
import dev.continuum.controller.agentlink.AssignmentService;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.fleet.Device;
import dev.continuum.controller.placement.PlacementDecision;
import dev.continuum.controller.placement.PlacementEngine;
import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.placement.Site;
import dev.continuum.controller.placement.persistence.DeviceModelKey;
import dev.continuum.controller.placement.persistence.PlacementEntity;
import dev.continuum.controller.placement.persistence.PlacementStore;
import dev.continuum.controller.placement.service.PlacementViews.DecisionView;
import dev.continuum.controller.placement.service.PlacementViews.PinView;
import dev.continuum.controller.placement.service.PlacementViews.PlacementView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Placement in the controller: places a (device, model version) for a rollout, re-evaluates every placed
 * (device, model) on the reconciler's loop and moves the device's assignment when the site changes, pins
 * and unpins, and answers "where does this model run and why". Methods that change desired states
 * return the devices whose revision rose; the caller tells the notifier after the commit.
 */
@ApplicationScoped
public class PlacementService {
    private static final Logger LOG = Logger.getLogger(PlacementService.class);
    private static final int BATCH = 100;

    @Inject
    Session db;

    @Inject
    PlacementEngine engine;

    @Inject
    PlacementStore store;

    @Inject
    AssignmentService assignments;

    /** A pin or unpin and the devices whose desired state changed. */
    public record PinChange(PinView view, Set<String> changed) {
    }

    /** Decides where the version runs on the device, with this budget and preference; records the decision. */
    @Transactional
    public PlacementDecision place(String deviceId, String model, String version, double budgetMillis,
                                   PlacementPreference preference, Instant now) {
        return engine.place(deviceId, model, version, budgetMillis, preference, now);
    }

    /**
     * Evaluates the (device, model) again with the budget and preference it was placed with, and moves its
     * assignment when the site changed. Forgets the placement when the device no longer has that version
     * assigned (placement does not decide assignments it did not place). True when the desired state changed.
     */
    @Transactional
    public boolean reevaluate(String deviceId, String model, Instant now) {
        PlacementEntity p = store.current(deviceId, model).orElse(null);
        if (p == null) {
            return false;
        }
        var assigned = assignments.current(deviceId, model);
        if (assigned.isEmpty() || !assigned.get().version().equals(p.version)) {
            store.forget(deviceId, model);
            return false;
        }
        PlacementDecision d = engine.place(deviceId, model, p.version, p.budgetMillis,
                PlacementPreference.valueOf(p.preference), now);
        if (d.changed()) {
            LOG.infof("placement of %s %s on device %s changed to %s: %s", model, p.version, deviceId, d.site(),
                    d.reason());
        }
        return assignments.place(deviceId, model, p.version, kind(d.site())).isPresent();
    }

    /** {@link #reevaluate} for every placed (device, model), a batch per transaction; the devices that changed. */
    public Set<String> reevaluateAll(Instant now) {
        Set<String> changed = new TreeSet<>();
        DeviceModelKey after = null;
        while (true) {
            DeviceModelKey from = after;
            List<DeviceModelKey> keys = QuarkusTransaction.requiringNew().call(() -> store.page(null, null, from, BATCH)
                    .stream().map(p -> new DeviceModelKey(p.deviceId, p.model)).toList());
            if (keys.isEmpty()) {
                return changed;
            }
            try {
                Set<String> batch = new TreeSet<>();
                QuarkusTransaction.requiringNew().run(() -> keys.forEach(k -> {
                    if (reevaluate(k.deviceId, k.model, now)) {
                        batch.add(k.deviceId);
                    }
                }));
                changed.addAll(batch);
            } catch (RuntimeException batchFailed) {
                for (DeviceModelKey k : keys) { // one at a time, so one bad row does not hold back the others
                    try {
                        if (QuarkusTransaction.requiringNew().call(() -> reevaluate(k.deviceId, k.model, now))) {
                            changed.add(k.deviceId);
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf("cannot re-evaluate the placement of %s on device %s: %s", k.model, k.deviceId,
                                e.toString());
                    }
                }
            }
            after = keys.get(keys.size() - 1);
        }
    }

    @Transactional
    public Page<PlacementView> list(String deviceId, String model, PageRequest page) {
        DeviceModelKey after = page.after() == null ? null : cursor(page.after());
        List<PlacementEntity> rows = store.page(deviceId, model, after, page.limit() + 1);
        Map<String, String> names = names(rows.stream().map(p -> p.deviceId).toList());
        return Page.of(rows, page, p -> p.deviceId + "\n" + p.model, p -> PlacementViews.of(p, names.get(p.deviceId)));
    }

    @Transactional
    public PlacementView get(String deviceId, String model) {
        PlacementEntity p = store.current(deviceId, model).orElseThrow(() -> new NotFoundException("placement",
                deviceId + "/" + model, "model"));
        return PlacementViews.of(p, names(List.of(deviceId)).get(deviceId));
    }

    /** The decisions kept for the (device, model), newest first. */
    @Transactional
    public List<DecisionView> history(String deviceId, String model, int limit) {
        if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + PageRequest.MAX_LIMIT
                    + ", got " + limit);
        }
        device(deviceId);
        return store.history(deviceId, model, limit).stream().map(PlacementViews::of).toList();
    }

    /** Pins the model on the device to a site ("edge" or "cloud") and applies it at once. */
    @Transactional
    public PinChange pin(String deviceId, String model, String placement, String by, Instant now) {
        device(deviceId);
        model(model);
        Site site = site(placement);
        store.setPin(deviceId, model, site, by);
        return afterPinChange(deviceId, model, site, now);
    }

    /** Removes the pin and lets the rule decide again. */
    @Transactional
    public PinChange unpin(String deviceId, String model, Instant now) {
        device(deviceId);
        Names.id("model", model);
        if (!store.removePin(deviceId, model)) {
            throw new NotFoundException("pin", deviceId + "/" + model, "model");
        }
        return afterPinChange(deviceId, model, null, now);
    }

    private PinChange afterPinChange(String deviceId, String model, Site pin, Instant now) {
        Set<String> changed = new TreeSet<>();
        if (store.current(deviceId, model).isPresent()) {
            if (reevaluate(deviceId, model, now)) {
                changed.add(deviceId);
            }
        } else if (pin != null) {
            // an assignment placement did not make (an operator's): the pin still decides where it runs
            assignments.current(deviceId, model).flatMap(a -> assignments.place(deviceId, model, a.version(), kind(pin)))
                    .ifPresent(rev -> changed.add(deviceId));
        }
        PlacementView view = store.current(deviceId, model)
                .map(p -> PlacementViews.of(p, names(List.of(deviceId)).get(deviceId))).orElse(null);
        return new PinChange(new PinView(deviceId, model, pin == null ? null : pin.name(), view), changed);
    }

    private Device device(String deviceId) {
        Names.id("deviceId", deviceId);
        Device d = db.find(Device.class, deviceId);
        if (d == null) {
            throw new NotFoundException("device", deviceId, "deviceId");
        }
        return d;
    }

    private void model(String model) {
        Names.id("model", model);
        Long n = db.createSelectionQuery("select count(*) from ModelEntity where name = :n", Long.class)
                .setParameter("n", model).getSingleResult();
        if (n == 0) {
            throw new NotFoundException("model", model, "model");
        }
    }

    static Site site(String placement) {
        if (placement != null) {
            switch (placement.toLowerCase(Locale.ROOT)) {
                case "edge":
                    return Site.EDGE;
                case "cloud":
                    return Site.CLOUD;
                default:
                    break;
            }
        }
        throw new InvalidInputException("placement", "placement must be 'edge' or 'cloud', got "
                + (placement == null ? "nothing" : "'" + placement + "'"));
    }

    /** The agent link's placement of an assignment for a site. */
    public static PlacementKind kind(Site site) {
        return site == Site.CLOUD ? PlacementKind.CLOUD : PlacementKind.EDGE;
    }

    private Map<String, String> names(List<String> deviceIds) {
        Map<String, String> out = new HashMap<>();
        if (deviceIds.isEmpty()) {
            return out;
        }
        db.createSelectionQuery("select id, name from Device where id in :ids", Object[].class)
                .setParameter("ids", Set.copyOf(deviceIds)).getResultList()
                .forEach(r -> out.put((String) r[0], (String) r[1]));
        return out;
    }

    private static DeviceModelKey cursor(String text) {
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new InvalidInputException("cursor", "cursor is not one this API issued for placements; pass the "
                    + "nextCursor of the previous page unchanged");
        }
        return new DeviceModelKey(text.substring(0, nl), text.substring(nl + 1));
    }
}
