package dev.continuum.controller.rollout.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.fleet.Device;
import dev.continuum.controller.fleet.DeviceService;
import dev.continuum.controller.fleet.DeviceViews.DeviceView;
import dev.continuum.controller.fleet.DeviceViews.InstalledModel;
import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.rollout.FleetDevice;
import dev.continuum.controller.rollout.FleetDevice.ReportedState;
import dev.continuum.controller.rollout.FleetView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * {@link FleetView} over the fleet's devices, their assignments (desired state) and what their agents last
 * reported (actual state). Online: the device's telemetry status says so (its retained MQTT status), or its
 * agent was heard from on the sync stream within
 * {@code continuum.rollout.online-window}. Joins the caller's transaction.
 */
@ApplicationScoped
public class DatabaseFleetView implements FleetView {
    private static final TypeReference<List<InstalledModel>> INSTALLED = new TypeReference<>() { };
    private static final int CHUNK = 500;

    @Inject
    Session db;

    @Inject
    DeviceService devices;

    @Inject
    RolloutSettings settings;

    private record Seen(String id, boolean online, Instant lastSeenAt, List<InstalledModel> installed) {
    }

    @Override
    public List<FleetDevice> matching(Selector selector, String model) {
        List<Seen> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<DeviceView> page = devices.list(selector, PageRequest.of(PageRequest.MAX_LIMIT, cursor));
            page.items().forEach(d -> seen.add(new Seen(d.id(), d.status().online(), d.status().lastSeenAt(),
                    d.status().installedModels())));
            cursor = page.nextCursor();
        } while (cursor != null);
        return fleetDevices(seen, model);
    }

    @Override
    public List<FleetDevice> find(Collection<String> deviceIds, String model) {
        List<String> ids = List.copyOf(deviceIds);
        List<Seen> seen = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            db.createSelectionQuery("from Device where id in :ids order by id", Device.class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + CHUNK))).getResultList()
                    .forEach(d -> seen.add(new Seen(d.id, d.online, d.lastSeenAt,
                            Json.read(d.installedModelsJson, INSTALLED))));
        }
        return fleetDevices(seen, model);
    }

    private List<FleetDevice> fleetDevices(List<Seen> seen, String model) {
        Map<String, String> assigned = assignedVersions(seen.stream().map(Seen::id).toList(), model);
        Instant heardSince = Times.now().minus(settings.onlineWindow());
        List<FleetDevice> out = new ArrayList<>(seen.size());
        for (Seen s : seen) {
            boolean online = s.online() || (s.lastSeenAt() != null && s.lastSeenAt().isAfter(heardSince));
            out.add(new FleetDevice(s.id(), online, assigned.get(s.id()), reported(s.installed(), model)));
        }
        return out;
    }

    private Map<String, String> assignedVersions(List<String> ids, String model) {
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            db.createSelectionQuery("select deviceId, version from Assignment where model = :m and deviceId in :ids",
                            Object[].class).setParameter("m", model)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + CHUNK))).getResultList()
                    .forEach(r -> out.put((String) r[0], (String) r[1]));
        }
        return out;
    }

    private static Map<String, ReportedState> reported(List<InstalledModel> installed, String model) {
        Map<String, ReportedState> out = new HashMap<>();
        for (InstalledModel m : installed) {
            if (model.equals(m.model()) && m.version() != null && m.state() != null) {
                try {
                    out.put(m.version(), ReportedState.valueOf(m.state()));
                } catch (IllegalArgumentException unknownState) {
                    // a state this controller does not know counts as nothing reported
                }
            }
        }
        return out;
    }
}
