package dev.continuum.engine.internal;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model after loading: validated, kernels made, constants folded, shapes inferred and an
 * execution plan of slots. Immutable; shared by every session on the model.
 *
 * @param constantSlots   slot of each constant, in the order of {@code constantValues}
 * @param inputSlots      slot of each graph input, in the order of {@code inputs}
 * @param outputSlots     slot of each graph output, in the order of {@code outputs}
 */
public record LoadedGraph(
        List<TensorInfo> inputs,
        List<TensorInfo> outputs,
        Map<String, Integer> opsets,
        List<Step> steps,
        int slotCount,
        int[] constantSlots,
        Tensor[] constantValues,
        int[] inputSlots,
        int[] outputSlots,
        Map<String, ValueType> types,
        long parameterCount,
        long flops,
        Set<String> opTypes,
        String producer) {

    public int stepCount() {
        return steps.size();
    }
}
