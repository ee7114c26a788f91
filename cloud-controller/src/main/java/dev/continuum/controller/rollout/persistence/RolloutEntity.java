package dev.continuum.controller.rollout.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A rollout row: its spec, where it stands and its per-wave counters; the devices it planned are {@link RolloutMemberEntity}. */
@Entity
@Table(name = "rollouts")
public class RolloutEntity {
    @Id
    public String id;

    @Column(name = "model_name", nullable = false)
    public String model;

    @Column(nullable = false)
    public String version;

    public String alias;

    @Column(nullable = false)
    public String selector;

    @Column(name = "budget_millis", nullable = false)
    public double budgetMillis;

    /** {@code EDGE_FIRST} or {@code CLOUD_FIRST}. */
    @Column(nullable = false)
    public String preference;

    /** {@link StoredStrategy} as JSON. */
    @Column(name = "strategy_json", nullable = false)
    public String strategyJson;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** A {@code RolloutState} name. */
    @Column(nullable = false)
    public String state;

    @Column(name = "state_reason", nullable = false)
    public String stateReason;

    @Column(name = "state_changed_at", nullable = false)
    public Instant stateChangedAt;

    public String message;

    /** Index of the current wave. */
    @Column(nullable = false)
    public int wave;

    @Column(name = "wave_started_at", nullable = false)
    public Instant waveStartedAt;

    @Column(name = "wave_serving_since")
    public Instant waveServingSince;

    /** A list of {@link StoredWave} as JSON: counters and start time per wave. */
    @Column(name = "waves_json", nullable = false)
    public String wavesJson;

    /** When a ROLLED_BACK rollout had put every touched device back; the reconciler skips it from then on. */
    @Column(name = "settled_at")
    public Instant settledAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;
}
