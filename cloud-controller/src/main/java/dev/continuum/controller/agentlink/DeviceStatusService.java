package dev.continuum.controller.agentlink;

import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.fleet.Device;
import dev.continuum.controller.fleet.DeviceViews.InstalledModel;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.DeviceProfile;
import dev.continuum.proto.v1.ModelStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** Records what agents report on the sync stream: profile, agent version, model states, last seen. */
@ApplicationScoped
public class DeviceStatusService {
    /** Heartbeats update last-seen at most this often per device. */
    private static final Duration LAST_SEEN_GRANULARITY = Duration.ofSeconds(10);

    @Inject
    Session db;

    @Transactional
    public void hello(String deviceId, String agentVersion, DeviceProfile profile, ActualState state) {
        Device d = db.find(Device.class, deviceId, LockModeType.PESSIMISTIC_WRITE);
        if (d == null) {
            return;
        }
        d.agentVersion = agentVersion == null || agentVersion.isBlank() ? d.agentVersion : agentVersion;
        applyProfile(d, profile);
        applyState(d, state);
    }

    @Transactional
    public void actualState(String deviceId, ActualState state) {
        Device d = db.find(Device.class, deviceId, LockModeType.PESSIMISTIC_WRITE);
        if (d != null) {
            applyState(d, state);
        }
    }

    /** Most heartbeats only read the row; the one that moves last-seen locks it first, like every other writer. */
    @Transactional
    public void heartbeat(String deviceId) {
        Device d = db.find(Device.class, deviceId);
        Instant now = Times.now();
        if (d != null && (d.lastSeenAt == null || d.lastSeenAt.plus(LAST_SEEN_GRANULARITY).isBefore(now))) {
            db.refresh(d, LockModeType.PESSIMISTIC_WRITE);
            d.lastSeenAt = now;
        }
    }

    static void applyProfile(Device d, DeviceProfile p) {
        if (p == null) {
            return;
        }
        if (p.getCores() > 0) {
            d.cores = p.getCores();
        }
        if (p.getMemoryBytes() > 0) {
            d.memoryBytes = p.getMemoryBytes();
        }
        if (!p.getArchitecture().isBlank()) {
            d.architecture = p.getArchitecture();
        }
        if (p.getEngineGflops() > 0) {
            d.engineGflops = p.getEngineGflops();
        }
    }

    private static void applyState(Device d, ActualState state) {
        List<InstalledModel> models = state.getModelsList().stream().map(DeviceStatusService::view).toList();
        d.installedModelsJson = Json.write(models);
        d.lastSeenAt = Times.now();
        d.updatedAt = d.lastSeenAt;
    }

    private static InstalledModel view(ModelStatus s) {
        return new InstalledModel(s.getModel(), s.getVersion(), s.getSha256(), s.getState().name(),
                s.getError().isEmpty() ? null : s.getError(),
                s.getP50Micros() > 0 ? s.getP50Micros() : null, s.getP95Micros() > 0 ? s.getP95Micros() : null);
    }
}
