package dev.continuum.controller.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.auth.Secrets;
import dev.continuum.controller.common.ConflictException;
import dev.continuum.controller.common.Etags;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.fleet.DeviceViews.Capabilities;
import dev.continuum.controller.fleet.DeviceViews.CreateDevice;
import dev.continuum.controller.fleet.DeviceViews.DeviceView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** The device registry: register, query by selector, update labels and capabilities, remove. */
@ApplicationScoped
public class DeviceService {
    @Inject
    Session db;

    /** A device and its ETag. */
    public record TaggedDevice(DeviceView device, String etag) {
    }

    @Transactional
    public TaggedDevice create(CreateDevice req) {
        if (req == null) {
            throw new InvalidInputException("body", "expected a JSON object with at least 'name'");
        }
        String id = req.id() == null ? Secrets.newId("dev-") : Names.id("id", req.id());
        Names.displayName("name", req.name());
        Names.labels("labels", req.labels());
        if (db.find(Device.class, id) != null) {
            throw new ConflictException("id", "device '" + id + "' already exists").with("id", id);
        }
        Instant now = Times.now();
        Device d = new Device();
        d.id = id;
        d.name = req.name();
        if (req.labels() != null) {
            req.labels().forEach((k, v) -> {
                if (v == null) {
                    throw new InvalidInputException("labels." + k, "label values must be strings");
                }
                d.labels.put(k, v);
            });
        }
        apply(d, req.capabilities());
        d.installedModelsJson = "[]";
        d.createdAt = now;
        d.updatedAt = now;
        db.persist(d);
        db.flush();
        return new TaggedDevice(DeviceViews.of(d), Etags.of(d.rowVersion));
    }

    @Transactional
    public TaggedDevice get(String id) {
        Device d = device(id);
        return new TaggedDevice(DeviceViews.of(d), Etags.of(d.rowVersion));
    }

    /** Devices matching the selector, by id. */
    @Transactional
    public Page<DeviceView> list(Selector selector, PageRequest page) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = SelectorSql.where(selector, params);
        String sql = "select d.id from devices d where " + where
                + (page.after() == null ? "" : " and d.id > :after") + " order by d.id";
        var q = db.createNativeQuery(sql, String.class);
        params.forEach(q::setParameter);
        if (page.after() != null) {
            q.setParameter("after", page.after());
        }
        List<String> ids = q.setMaxResults(page.limit() + 1).getResultList();
        if (ids.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Device> rows = db.createSelectionQuery(
                        "select distinct d from Device d left join fetch d.labels where d.id in :ids order by d.id",
                        Device.class).setParameter("ids", ids).getResultList();
        return Page.of(rows, page, d -> d.id, DeviceViews::of);
    }

    /**
     * JSON merge patch: {@code name}, {@code labels} (a null value removes a label) and
     * {@code capabilities} (fields given replace, null clears). Status is the agent's to report.
     */
    @Transactional
    public TaggedDevice patch(String id, String ifMatch, JsonNode body) {
        Device d = lockedDevice(id);
        Etags.checkIfMatch(ifMatch, d.rowVersion);
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "expected a JSON object with name, labels and/or capabilities");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            switch (f) {
                case "name" -> {
                    JsonNode n = body.get(f);
                    if (!n.isTextual()) {
                        throw new InvalidInputException("name", "name must be a string, got " + n);
                    }
                    d.name = Names.displayName("name", n.asText());
                }
                case "labels" -> patchLabels(d, body.get(f));
                case "capabilities" -> patchCapabilities(d, body.get(f));
                case "status" -> throw new InvalidInputException("status",
                        "status is reported by the device's agent and cannot be set through the admin API");
                default -> throw new InvalidInputException(f, "unknown field '" + f
                        + "'; a device patch may set name, labels and capabilities");
            }
        }
        d.updatedAt = Times.now();
        db.flush();
        return new TaggedDevice(DeviceViews.of(d), Etags.of(d.rowVersion));
    }

    @Transactional
    public void delete(String id, String ifMatch) {
        Device d = lockedDevice(id);
        Etags.checkIfMatch(ifMatch, d.rowVersion);
        db.remove(d);
    }

    /**
     * The device with its row locked until the transaction ends. Its agent's reports write the same row (status,
     * last seen); without the lock an operator's edit racing a report failed on the row version with a 500.
     */
    private Device lockedDevice(String id) {
        Device d = db.find(Device.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (d == null) {
            throw new NotFoundException("device", id, "id");
        }
        return d;
    }

    private Device device(String id) {
        Device d = db.find(Device.class, id);
        if (d == null) {
            throw new NotFoundException("device", id, "id");
        }
        return d;
    }

    private static void patchLabels(Device d, JsonNode labels) {
        if (!labels.isObject()) {
            throw new InvalidInputException("labels", "labels must be an object of strings");
        }
        for (var it = labels.fields(); it.hasNext(); ) {
            var e = it.next();
            Names.labelKey("labels", e.getKey());
            if (e.getValue().isNull()) {
                d.labels.remove(e.getKey());
            } else if (e.getValue().isTextual()) {
                d.labels.put(e.getKey(), Names.labelValue("labels." + e.getKey(), e.getValue().asText()));
            } else {
                throw new InvalidInputException("labels." + e.getKey(), "label values must be strings or null");
            }
        }
    }

    private static void patchCapabilities(Device d, JsonNode c) {
        if (!c.isObject()) {
            throw new InvalidInputException("capabilities", "capabilities must be an object");
        }
        for (var it = c.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            String field = "capabilities." + e.getKey();
            switch (e.getKey()) {
                case "cores" -> d.cores = v.isNull() ? null : positiveInt(field, v);
                case "memoryBytes" -> d.memoryBytes = v.isNull() ? null : positiveLong(field, v);
                case "architecture" -> {
                    if (!v.isNull() && !v.isTextual()) {
                        throw new InvalidInputException(field, "architecture must be a string such as x86_64 or aarch64");
                    }
                    d.architecture = v.isNull() ? null : v.asText();
                }
                case "engineGflops" -> {
                    if (!v.isNull() && (!v.isNumber() || v.asDouble() <= 0)) {
                        throw new InvalidInputException(field, "engineGflops must be a positive number");
                    }
                    d.engineGflops = v.isNull() ? null : v.asDouble();
                }
                default -> throw new InvalidInputException(field, "unknown capability '" + e.getKey()
                        + "'; expected cores, memoryBytes, architecture or engineGflops");
            }
        }
    }

    private static void apply(Device d, Capabilities c) {
        if (c == null) {
            return;
        }
        if (c.cores() != null && c.cores() < 1) {
            throw new InvalidInputException("capabilities.cores", "cores must be at least 1, got " + c.cores());
        }
        if (c.memoryBytes() != null && c.memoryBytes() < 1) {
            throw new InvalidInputException("capabilities.memoryBytes", "memoryBytes must be positive");
        }
        if (c.engineGflops() != null && c.engineGflops() <= 0) {
            throw new InvalidInputException("capabilities.engineGflops", "engineGflops must be positive");
        }
        d.cores = c.cores();
        d.memoryBytes = c.memoryBytes();
        d.architecture = c.architecture();
        d.engineGflops = c.engineGflops();
    }

    private static int positiveInt(String field, JsonNode v) {
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw new InvalidInputException(field, field + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    private static long positiveLong(String field, JsonNode v) {
        if (!v.isIntegralNumber() || v.asLong() < 1) {
            throw new InvalidInputException(field, field + " must be a positive integer, got " + v);
        }
        return v.asLong();
    }
}
