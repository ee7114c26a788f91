package dev.continuum.controller.agentlink;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The revision of a device's desired state; raised by every change of its assignments. */
@Entity
@Table(name = "desired_state_revisions")
public class DesiredRevision {
    @Id
    @Column(name = "device_id")
    public String deviceId;

    @Column(nullable = false)
    public long revision;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
