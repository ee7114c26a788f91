package dev.continuum.controller.fleet;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A fleet device: identity and labels (set by operators), capabilities and status (reported by
 * its agent). Labels live in their own table so selectors run as SQL.
 */
@Entity
@Table(name = "devices")
public class Device {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "device_labels", joinColumns = @JoinColumn(name = "device_id"))
    @MapKeyColumn(name = "label_key")
    @Column(name = "label_value", nullable = false)
    public Map<String, String> labels = new HashMap<>();

    public Integer cores;

    @Column(name = "memory_bytes")
    public Long memoryBytes;

    public String architecture;

    /** Engine throughput the agent measured, GFLOP/s. */
    @Column(name = "engine_gflops")
    public Double engineGflops;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "agent_version")
    public String agentVersion;

    /** JSON array of {model, version} the agent last reported as installed. */
    @Column(name = "installed_models_json", nullable = false)
    public String installedModelsJson;

    /**
     * Whether the device's agent is connected to the telemetry broker, from its retained status (and
     * last will). Written only by the telemetry writer (SQL), never through this entity.
     */
    @Column(insertable = false, updatable = false)
    public boolean online;

    @Column(name = "online_changed_at", insertable = false, updatable = false)
    public Instant onlineChangedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;
}
