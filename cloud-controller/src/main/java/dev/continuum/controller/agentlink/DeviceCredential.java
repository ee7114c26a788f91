package dev.continuum.controller.agentlink;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The credential a device received at enrolment; only its SHA-256 is stored. One per device. */
@Entity
@Table(name = "device_credentials")
public class DeviceCredential {
    @Id
    @Column(name = "device_id")
    public String deviceId;

    @Column(name = "credential_hash", nullable = false, unique = true)
    public String credentialHash;

    @Column(name = "bootstrap_token_id")
    public String bootstrapTokenId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
