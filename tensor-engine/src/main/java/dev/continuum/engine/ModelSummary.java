package dev.continuum.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the engine learns of a model without loading its weights: its signature, opsets, parameter
 * count, FLOPs per inference at batch 1, operators used and producer. See {@link Model#inspect}.
 */
public record ModelSummary(List<TensorInfo> inputs, List<TensorInfo> outputs, Map<String, Integer> opsets, int opset,
                           long parameterCount, long flops, Set<String> opTypes, String producer) {
    public ModelSummary {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opsets = Map.copyOf(opsets);
        opTypes = Set.copyOf(opTypes);
    }
}
