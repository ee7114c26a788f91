package dev.continuum.controller.agentlink;

import dev.continuum.controller.common.InvalidInputException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.fleet.DeviceService;
import dev.continuum.controller.fleet.DeviceViews.DeviceView;
import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.registry.RegistryService;
import dev.continuum.controller.registry.Views.VersionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * Assignments of model versions to devices. Operators assign a version, named directly or through an
 * alias, to the devices a selector matches at that moment; rollouts and placement change one device at
 * a time ({@link #put}, {@link #remove}, {@link #place}). Each device keeps at most one version per model;
 * assigning another version replaces it. Every touched device's desired-state revision rises.
 */
@ApplicationScoped
public class AssignmentService {
    @Inject
    Session db;

    @Inject
    RegistryService registry;

    @Inject
    DeviceService devices;

    @Inject
    DesiredStateService desired;

    /** Body of {@code POST /api/v1/assignments}. */
    public record AssignRequest(String model, String version, String alias, String selector, String placement,
                                Map<String, String> config) {
    }

    /** One device an assignment reached, and its new desired-state revision. */
    public record Target(String deviceId, long revision) {
    }

    public record Assigned(String model, String version, String sha256, long sizeBytes, String placement,
                           String selector, List<Target> devices) {
    }

    /** Body of {@code DELETE /api/v1/assignments}: stop running a model on the matching devices. */
    public record Unassigned(String model, String selector, List<Target> devices) {
    }

    @Transactional
    public Assigned assign(AssignRequest req, String author) {
        if (req == null) {
            throw new InvalidInputException("body", "expected {\"model\", \"version\" or \"alias\", \"selector\"}");
        }
        Names.id("model", req.model());
        if ((req.version() == null) == (req.alias() == null)) {
            throw new InvalidInputException("version", "give exactly one of 'version' and 'alias'");
        }
        Selector selector = selector(req.selector());
        Assignment.PlacementKind placement = placement(req.placement());
        Map<String, String> config = new TreeMap<>(req.config() == null ? Map.of() : req.config());
        config.forEach((k, v) -> {
            if (k.isBlank() || v == null) {
                throw new InvalidInputException("config", "config must be an object of non-empty keys and string values");
            }
        });
        String version = req.version() != null ? Names.id("version", req.version())
                : registry.getAlias(req.model(), Names.id("alias", req.alias())).value().version();
        VersionView v = registry.getVersion(req.model(), version);

        Instant now = Times.now();
        List<Target> targets = new ArrayList<>();
        for (String deviceId : matching(selector)) {
            Assignment a = find(deviceId, v.model());
            if (a == null) {
                a = new Assignment();
                a.deviceId = deviceId;
                a.model = v.model();
            }
            a.version = v.version();
            a.sha256 = v.sha256();
            a.sizeBytes = v.sizeBytes();
            a.placement = placement;
            a.configJson = Json.write(config);
            a.assignedAt = now;
            a.assignedBy = author;
            if (a.id == null) {
                db.persist(a);
            }
            targets.add(new Target(deviceId, desired.bump(deviceId)));
        }
        return new Assigned(v.model(), v.version(), v.sha256(), v.sizeBytes(), placement.name().toLowerCase(Locale.ROOT),
                req.selector(), targets);
    }

    @Transactional
    public Unassigned unassign(String model, String selectorText) {
        Names.id("model", model);
        Selector selector = selector(selectorText);
        List<Target> targets = new ArrayList<>();
        for (String deviceId : matching(selector)) {
            int n = db.createMutationQuery("delete from Assignment where deviceId = :d and model = :m")
                    .setParameter("d", deviceId).setParameter("m", model).executeUpdate();
            if (n > 0) {
                targets.add(new Target(deviceId, desired.bump(deviceId)));
            }
        }
        return new Unassigned(model, selectorText, targets);
    }

    // ---- one device at a time, for rollouts and placement (join the caller's transaction)

    /** A device's assignment of one model as it stands. */
    public record Current(String version, String sha256, long sizeBytes, Assignment.PlacementKind placement,
                          Map<String, String> config) {
    }

    /** The device's assignment of the model, or empty. */
    @Transactional
    public Optional<Current> current(String deviceId, String model) {
        return Optional.ofNullable(find(deviceId, model)).map(a -> new Current(a.version, a.sha256, a.sizeBytes,
                a.placement, Json.read(a.configJson, new TypeReference<TreeMap<String, String>>() { })));
    }

    /**
     * Sets the device's assignment of the model to exactly this version, artifact, placement and config,
     * creating it when absent; raises the device's desired-state revision. The caller tells the
     * {@link DesiredStateNotifier} after its transaction commits.
     *
     * @return the device's new revision
     */
    @Transactional
    public long put(String deviceId, String model, Current to, String author) {
        Assignment a = find(deviceId, model);
        if (a == null) {
            a = new Assignment();
            a.deviceId = deviceId;
            a.model = model;
        }
        a.version = to.version();
        a.sha256 = to.sha256();
        a.sizeBytes = to.sizeBytes();
        a.placement = to.placement();
        a.configJson = Json.write(new TreeMap<>(to.config() == null ? Map.of() : to.config()));
        a.assignedAt = Times.now();
        a.assignedBy = author;
        if (a.id == null) {
            db.persist(a);
        }
        return desired.bump(deviceId);
    }

    /** Removes the device's assignment of the model; the new revision, or empty when it had none. */
    @Transactional
    public Optional<Long> remove(String deviceId, String model) {
        int n = db.createMutationQuery("delete from Assignment where deviceId = :d and model = :m")
                .setParameter("d", deviceId).setParameter("m", model).executeUpdate();
        return n == 0 ? Optional.empty() : Optional.of(desired.bump(deviceId));
    }

    /**
     * Moves the device's assignment of {@code model} at {@code version} to another placement; the new revision,
     * or empty when the device does not have that version assigned or it is placed there already.
     */
    @Transactional
    public Optional<Long> place(String deviceId, String model, String version, Assignment.PlacementKind placement) {
        Assignment a = find(deviceId, model);
        if (a == null || !a.version.equals(version) || a.placement == placement) {
            return Optional.empty();
        }
        a.placement = placement;
        return Optional.of(desired.bump(deviceId));
    }

    private Assignment find(String deviceId, String model) {
        return db.createSelectionQuery("from Assignment where deviceId = :d and model = :m", Assignment.class)
                .setParameter("d", deviceId).setParameter("m", model).uniqueResult();
    }

    private List<String> matching(Selector selector) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Page<DeviceView> page = devices.list(selector, PageRequest.of(PageRequest.MAX_LIMIT, cursor));
            page.items().forEach(d -> ids.add(d.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    private static Selector selector(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("selector", "selector is required, e.g. 'region=eu,tier in (gold,silver)'; "
                    + "to target every device say so with an existence test such as '!decommissioned'");
        }
        return Selector.parse(text);
    }

    private static Assignment.PlacementKind placement(String p) {
        if (p == null) {
            return Assignment.PlacementKind.EDGE;
        }
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "edge" -> Assignment.PlacementKind.EDGE;
            case "cloud" -> Assignment.PlacementKind.CLOUD;
            default -> throw new InvalidInputException("placement", "placement '" + p + "' is not 'edge' or 'cloud'");
        };
    }
}
