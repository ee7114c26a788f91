package dev.continuum.controller.placement.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The current placement of a model on a device: the last decision (with everything it rests on, as JSON),
 * the budget and preference it is re-evaluated with, and the hysteresis state handed to the next evaluation.
 */
@Entity
@Table(name = "placements")
@IdClass(DeviceModelKey.class)
public class PlacementEntity {
    @Id
    @Column(name = "device_id")
    public String deviceId;

    @Id
    @Column(name = "model_name")
    public String model;

    @Column(nullable = false)
    public String version;

    /** {@code EDGE} or {@code CLOUD}. */
    @Column(nullable = false)
    public String site;

    /** An {@code Outcome} name. */
    @Column(nullable = false)
    public String outcome;

    @Column(name = "budget_millis", nullable = false)
    public double budgetMillis;

    /** A {@code PlacementPreference} name. */
    @Column(nullable = false)
    public String preference;

    @Column(name = "edge_p95_millis")
    public Double edgeP95Millis;

    @Column(name = "cloud_p95_millis")
    public Double cloudP95Millis;

    @Column(nullable = false)
    public String reason;

    /** The whole {@code PlacementDecision} as JSON. */
    @Column(name = "decision_json", nullable = false)
    public String decisionJson;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    @Column(name = "state_site", nullable = false)
    public String stateSite;

    @Column(name = "state_pending")
    public String statePending;

    @Column(name = "state_pending_count", nullable = false)
    public int statePendingCount;

    @Column(name = "state_pending_since")
    public Instant statePendingSince;
}
