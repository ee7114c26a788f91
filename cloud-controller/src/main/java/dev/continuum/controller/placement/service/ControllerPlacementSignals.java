package dev.continuum.controller.placement.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.fleet.Device;
import dev.continuum.controller.fleet.DeviceViews.InstalledModel;
import dev.continuum.controller.inference.InferenceStats;
import dev.continuum.controller.placement.PlacementInputs.CloudSignals;
import dev.continuum.controller.placement.PlacementInputs.DeviceSignals;
import dev.continuum.controller.placement.PlacementInputs.ModelCost;
import dev.continuum.controller.placement.PlacementSignals;
import dev.continuum.controller.placement.persistence.DeviceModelKey;
import dev.continuum.controller.placement.persistence.PlacementEntity;
import dev.continuum.controller.registry.ModelVersionEntity;
import dev.continuum.controller.registry.Views.TensorSpec;
import dev.continuum.engine.DataType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.OptionalLong;
import org.hibernate.Session;

/**
 * {@link PlacementSignals} over the registry (FLOPs; request and response bytes from the signature at
 * batch 1), the device's profile (engine GFLOP/s), telemetry (RTT p95, uplink, the version's p95 on the
 * device) and this replica's cloud inference statistics. The edge p95 is the telemetry's; without recent
 * telemetry (the version serves from the cloud now, or is idle) the last measurement stands; before any,
 * the one the agent's probe measured after install (of the local copy it keeps when placed in the cloud).
 * Joins the caller's transaction.
 */
@ApplicationScoped
public class ControllerPlacementSignals implements PlacementSignals {
    private static final TypeReference<List<TensorSpec>> TENSORS = new TypeReference<>() { };
    private static final TypeReference<List<InstalledModel>> INSTALLED = new TypeReference<>() { };

    @Inject
    Session db;

    @Inject
    TelemetryReader telemetry;

    @Inject
    InferenceStats inference;

    @Override
    public ModelCost modelCost(String model, String version) {
        ModelVersionEntity v = db.createSelectionQuery("from ModelVersionEntity v where v.model.name = :m "
                + "and v.version = :v", ModelVersionEntity.class).setParameter("m", model).setParameter("v", version)
                .uniqueResult();
        if (v == null) {
            return ModelCost.UNKNOWN;
        }
        return new ModelCost(v.flops, bytes(Json.read(v.inputsJson, TENSORS)), bytes(Json.read(v.outputsJson, TENSORS)));
    }

    @Override
    public DeviceSignals device(String deviceId) {
        Device d = db.find(Device.class, deviceId);
        if (d == null) {
            return DeviceSignals.UNKNOWN;
        }
        TelemetryReader.Vitals v = telemetry.vitals(deviceId);
        Double gflops = d.engineGflops != null && d.engineGflops > 0 ? d.engineGflops : null;
        Long uplink = v.uplinkBytesPerSecond() != null && v.uplinkBytesPerSecond() > 0 ? v.uplinkBytesPerSecond() : null;
        Long rtt = v.rttP95Micros() != null && v.rttP95Micros() >= 0 ? v.rttP95Micros() : null;
        return new DeviceSignals(gflops, rtt, uplink);
    }

    @Override
    public OptionalLong edgeP95Micros(String deviceId, String model, String version) {
        OptionalLong measured = telemetry.edgeP95Micros(deviceId, model, version);
        if (measured.isPresent()) {
            return measured;
        }
        Device d = db.find(Device.class, deviceId);
        if (d == null) {
            return OptionalLong.empty();
        }
        OptionalLong last = lastMeasured(deviceId, model, version);
        if (last.isPresent()) {
            return last;
        }
        // the agent's probe right after install; REMOTE: the local copy it keeps as the cloud's fallback
        return Json.read(d.installedModelsJson, INSTALLED).stream()
                .filter(m -> model.equals(m.model()) && version.equals(m.version())
                        && ("SERVING".equals(m.state()) || "REMOTE".equals(m.state()))
                        && m.p95Micros() != null && m.p95Micros() > 0)
                .mapToLong(InstalledModel::p95Micros).findFirst();
    }

    /**
     * The edge p95 the last decision measured for this version. A model placed in the cloud stops producing
     * edge measurements; without this it would look as fast as its FLOPs estimate and flap back to the edge.
     */
    private OptionalLong lastMeasured(String deviceId, String model, String version) {
        PlacementEntity p = db.find(PlacementEntity.class, new DeviceModelKey(deviceId, model));
        if (p == null || !p.version.equals(version)) {
            return OptionalLong.empty();
        }
        JsonNode decision = Json.read(p.decisionJson, new TypeReference<JsonNode>() { });
        JsonNode micros = decision.path("inputs").path("edgeP95Micros");
        return "MEASURED".equals(decision.path("edge").path("basis").asText()) && micros.canConvertToLong()
                ? OptionalLong.of(micros.asLong()) : OptionalLong.empty();
    }

    @Override
    public CloudSignals cloud(String model, String version) {
        return inference.latency(model, version)
                .filter(l -> l.compute().count() > 0)
                .map(l -> new CloudSignals(Math.round(l.compute().p95Micros()),
                        l.queue().count() > 0 ? Math.round(l.queue().p95Micros()) : null))
                .orElse(CloudSignals.UNKNOWN);
    }

    /** Bytes of one request's tensors at batch 1 (dynamic dimensions count 1); null when a shape or type is unknown. */
    static Long bytes(List<TensorSpec> tensors) {
        long total = 0;
        for (TensorSpec t : tensors) {
            DataType type = type(t.dtype());
            if (type == null || t.shape() == null) {
                return null;
            }
            long n = type.byteSize();
            for (int d : t.shape()) {
                n *= Math.max(1, d);
            }
            total += n;
        }
        return total;
    }

    private static DataType type(String name) {
        for (DataType t : DataType.values()) {
            if (t.toString().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
