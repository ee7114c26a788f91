package dev.continuum.controller.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuum.controller.common.Json;
import dev.continuum.engine.ModelSummary;
import dev.continuum.engine.TensorInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registry's JSON representations. */
public final class Views {
    private Views() {
    }

    /**
     * A model input or output. {@code shape} holds -1 for a dynamic dimension (named in
     * {@code dimNames} where the model names it) and is null when even the rank is unknown.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TensorSpec(String name, String dtype, int[] shape, String[] dimNames, String shapeText) {
        static TensorSpec of(TensorInfo t) {
            return new TensorSpec(t.name(), t.dataType() == null ? null : t.dataType().toString(), t.shape(),
                    t.dimNames(), t.shapeString());
        }
    }

    public record ModelView(String name, String description, Map<String, String> labels, Instant createdAt,
                            Instant updatedAt, long versionCount, String latestVersion, Map<String, String> aliases) {
    }

    public record VersionView(String model, String version, String sha256, long sizeBytes, List<TensorSpec> inputs,
                              List<TensorSpec> outputs, int opset, Map<String, Integer> opsets, long parameters,
                              long flops, List<String> opTypes, String producer, Instant createdAt, String createdBy,
                              List<String> aliases) {
    }

    public record AliasView(String model, String alias, String version, Instant updatedAt, String updatedBy) {
    }

    static String tensorsJson(List<TensorInfo> infos) {
        return Json.write(infos.stream().map(TensorSpec::of).toList());
    }

    static void fill(ModelVersionEntity v, ModelSummary s) {
        v.inputsJson = tensorsJson(s.inputs());
        v.outputsJson = tensorsJson(s.outputs());
        v.opsetsJson = Json.write(new TreeMap<>(s.opsets()));
        v.opset = s.opset();
        v.parameters = s.parameterCount();
        v.flops = s.flops();
        v.opTypesJson = Json.write(s.opTypes().stream().sorted().toList());
        v.producer = s.producer();
    }

    static VersionView version(ModelVersionEntity v, List<String> aliases) {
        return new VersionView(v.model.name, v.version, v.sha256, v.sizeBytes,
                Json.read(v.inputsJson, new TypeReference<List<TensorSpec>>() { }),
                Json.read(v.outputsJson, new TypeReference<List<TensorSpec>>() { }),
                v.opset, Json.read(v.opsetsJson, new TypeReference<TreeMap<String, Integer>>() { }),
                v.parameters, v.flops, Json.read(v.opTypesJson, new TypeReference<List<String>>() { }),
                v.producer, v.createdAt, v.createdBy, aliases);
    }

    static AliasView alias(AliasEntity a) {
        return new AliasView(a.model.name, a.name, a.target.version, a.updatedAt, a.updatedBy);
    }
}
