package dev.continuum.controller.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A published, immutable model version: the artifact's sha256 and size, and what the tensor engine
 * learnt of it (signature as JSON, opsets, parameter count, FLOPs, operators, producer).
 */
@Entity
@Table(name = "model_versions")
public class ModelVersionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    public ModelEntity model;

    @Column(nullable = false)
    public String version;

    @Column(nullable = false, length = 64)
    public String sha256;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "inputs_json", nullable = false)
    public String inputsJson;

    @Column(name = "outputs_json", nullable = false)
    public String outputsJson;

    @Column(name = "opsets_json", nullable = false)
    public String opsetsJson;

    @Column(nullable = false)
    public int opset;

    @Column(nullable = false)
    public long parameters;

    @Column(nullable = false)
    public long flops;

    @Column(name = "op_types_json", nullable = false)
    public String opTypesJson;

    public String producer;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;
}
