package dev.continuum.controller.placement.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;

/** An operator's pin of a model on a device to one site. */
@Entity
@Table(name = "placement_pins")
@IdClass(DeviceModelKey.class)
public class PlacementPinEntity {
    @Id
    @Column(name = "device_id")
    public String deviceId;

    @Id
    @Column(name = "model_name")
    public String model;

    /** {@code EDGE} or {@code CLOUD}. */
    @Column(nullable = false)
    public String site;

    @Column(name = "pinned_by")
    public String pinnedBy;

    @Column(name = "pinned_at", nullable = false)
    public Instant pinnedAt;
}
