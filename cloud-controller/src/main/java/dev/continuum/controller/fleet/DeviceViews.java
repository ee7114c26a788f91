package dev.continuum.controller.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuum.controller.common.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fleet's JSON representations. */
public final class DeviceViews {
    private DeviceViews() {
    }

    /** What the device can do; reported by its agent, or given by an operator when registering it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(Integer cores, Long memoryBytes, String architecture, Double engineGflops) {
    }

    /**
     * A model as the device's agent last reported it: state SERVING, DOWNLOADING, FAILED (with the
     * reason in {@code error}) or REMOTE, and its latency measured on the device after install.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstalledModel(String model, String version, String sha256, String state, String error,
                                 Long p50Micros, Long p95Micros) {
    }

    /**
     * Reported by the agent; read-only through the admin API. {@code online}: connected to the
     * telemetry broker (its retained status), since {@code onlineChangedAt}.
     */
    public record Status(Instant lastSeenAt, String agentVersion, List<InstalledModel> installedModels, boolean online,
                         Instant onlineChangedAt) {
    }

    public record DeviceView(String id, String name, Map<String, String> labels, Capabilities capabilities,
                             Status status, Instant createdAt, Instant updatedAt) {
    }

    /** Body of {@code POST /api/v1/devices}; {@code id} is generated when absent. */
    public record CreateDevice(String id, String name, Map<String, String> labels, Capabilities capabilities) {
    }

    static DeviceView of(Device d) {
        return new DeviceView(d.id, d.name, new TreeMap<>(d.labels),
                new Capabilities(d.cores, d.memoryBytes, d.architecture, d.engineGflops),
                new Status(d.lastSeenAt, d.agentVersion,
                        Json.read(d.installedModelsJson, new TypeReference<List<InstalledModel>>() { }), d.online,
                        d.onlineChangedAt),
                d.createdAt, d.updatedAt);
    }
}
