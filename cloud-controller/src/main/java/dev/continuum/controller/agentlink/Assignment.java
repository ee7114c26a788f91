package dev.continuum.controller.agentlink;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One model version a device should run: at most one per (device, model). */
@Entity
@Table(name = "model_assignments")
public class Assignment {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "device_id", nullable = false)
    public String deviceId;

    @Column(name = "model_name", nullable = false)
    public String model;

    @Column(nullable = false)
    public String version;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PlacementKind placement;

    /** JSON object of strings handed to the agent with the model. */
    @Column(name = "config_json", nullable = false)
    public String configJson;

    @Column(name = "assigned_at", nullable = false)
    public Instant assignedAt;

    @Column(name = "assigned_by")
    public String assignedBy;

    /** Where a device runs an assigned model. */
    public enum PlacementKind {
        EDGE, CLOUD
    }
}
