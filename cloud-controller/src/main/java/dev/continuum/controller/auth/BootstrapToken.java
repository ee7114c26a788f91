package dev.continuum.controller.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A device enrolment token: an agent presents it once to register and receive its own credential.
 * It expires, may be limited to a number of uses, and carries labels given to the devices it enrols.
 */
@Entity
@Table(name = "bootstrap_tokens")
public class BootstrapToken {
    @Id
    public String id;

    public String name;

    @Column(name = "token_hash", nullable = false, unique = true)
    public String tokenHash;

    /** JSON object of labels applied to devices enrolled with this token. */
    @Column(name = "labels_json", nullable = false)
    public String labelsJson;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** Null: unlimited until expiry. */
    @Column(name = "max_uses")
    public Integer maxUses;

    @Column(nullable = false)
    public int uses;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
