package dev.continuum.controller.agentlink;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The credential a device received at enrolment; only hashes of it are stored: SHA-256 (how the
 * controller checks it) and a Mosquitto password hash (for an external broker's password file). One per device.
 */
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

    /** The credential hashed for a Mosquitto password file ({@code $7$...}); null for devices enrolled before it was kept. */
    @Column(name = "mqtt_password_hash")
    public String mqttPasswordHash;

    /** The agent's id for the enrolment that created the device, unique per bootstrap token; null if none was sent. */
    @Column(name = "enrolment_id")
    public String enrolmentId;
}
