package dev.continuum.controller.rollout.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A device a rollout planned into a wave, and — once the rollout told it to update — exactly what it had
 * before: version, artifact, placement, config and the placement budget, so a rollback restores it.
 */
@Entity
@Table(name = "rollout_members")
@IdClass(RolloutMemberEntity.Key.class)
public class RolloutMemberEntity {
    @Id
    @Column(name = "rollout_id")
    public String rolloutId;

    @Id
    @Column(name = "device_id")
    public String deviceId;

    @Column(nullable = false)
    public int wave;

    @Column(nullable = false)
    public boolean assigned;

    @Column(name = "assigned_at")
    public Instant assignedAt;

    @Column(name = "updating_since")
    public Instant updatingSince;

    @Column(name = "previous_version")
    public String previousVersion;

    /** Whether the fields below were read from the device's assignment when the rollout first told it. */
    @Column(name = "previous_captured", nullable = false)
    public boolean previousCaptured;

    @Column(name = "previous_sha256")
    public String previousSha256;

    @Column(name = "previous_size_bytes")
    public Long previousSizeBytes;

    /** {@code EDGE} or {@code CLOUD}. */
    @Column(name = "previous_placement")
    public String previousPlacement;

    @Column(name = "previous_config_json")
    public String previousConfigJson;

    /** The latency budget placement used for the previous version, when placement decided it. */
    @Column(name = "previous_budget_millis")
    public Double previousBudgetMillis;

    @Column(name = "previous_preference")
    public String previousPreference;

    /** The composite key. */
    public static class Key implements Serializable {
        public String rolloutId;
        public String deviceId;

        public Key() {
        }

        public Key(String rolloutId, String deviceId) {
            this.rolloutId = rolloutId;
            this.deviceId = deviceId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(rolloutId, k.rolloutId) && Objects.equals(deviceId, k.deviceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(rolloutId, deviceId);
        }
    }
}
