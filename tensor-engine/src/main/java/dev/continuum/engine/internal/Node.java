package dev.continuum.engine.internal;

import java.util.List;

/**
 * One graph node as the engine sees it after loading: its op, the opset version in force for its
 * domain, its value names (an empty string is an omitted optional input or output) and attributes.
 */
public record Node(String name, String opType, String domain, int opset, List<String> inputs, List<String> outputs,
                   Attributes attributes) {

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public int inputCount() {
        return inputs.size();
    }

    public int outputCount() {
        return outputs.size();
    }

    /** True when input {@code i} is given (present and not the empty name). */
    public boolean hasInput(int i) {
        return i < inputs.size() && !inputs.get(i).isEmpty();
    }

    public boolean hasOutput(int i) {
        return i < outputs.size() && !outputs.get(i).isEmpty();
    }

    /** How the node is named in error messages: {@code node 'conv_3' (Conv, opset 13)}. */
    public String describe() {
        return "node '" + name + "' (" + opType + (domain.isEmpty() ? "" : ", " + domain) + ", opset " + opset + ")";
    }
}
