package dev.continuum.controller.placement.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One entry of a (device, model)'s bounded decision history. */
@Entity
@Table(name = "placement_decisions")
public class PlacementDecisionEntity {
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
    public String site;

    @Column(nullable = false)
    public String outcome;

    @Column(nullable = false)
    public String reason;

    @Column(name = "decision_json", nullable = false)
    public String decisionJson;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
