package dev.continuum.engine.internal;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.FusedActivation;
import dev.continuum.engine.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graph rewrites applied after sorting and before kernels are made: an activation whose only input
 * is produced by a Conv, ConvTranspose or Gemm that nothing else reads is folded into that
 * producer's epilogue (see {@link FusedActivation}). Results are identical to the unfused graph up
 * to float rounding of the activation itself.
 */
final class Fusion {
    /** Producers whose kernels apply {@link FusedActivation}. */
    private static final Set<String> PRODUCERS = Set.of("Conv", "ConvTranspose", "Gemm");

    private Fusion() {
    }

    static List<Node> fuseActivations(List<Node> nodes, Map<String, Tensor> initializers, Set<String> graphOutputs) {
        Map<String, Tensor> constants = withConstantNodes(nodes, initializers);
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readers.merge(in, 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> producerIndex = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                producerIndex.put(o, i);
            }
        }
        List<Node> out = new ArrayList<>(nodes);
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node act = nodes.get(i);
            if (!act.domain().isEmpty() || FusedActivation.kindOf(act.opType()) == null || !act.hasInput(0)
                    || act.outputCount() != 1) {
                continue;
            }
            String x = act.inputs().get(0);
            Integer pi = producerIndex.get(x);
            if (pi == null || removed.contains(pi) || readers.getOrDefault(x, 0) != 1 || graphOutputs.contains(x)) {
                continue;
            }
            Node producer = out.get(pi);
            if (!PRODUCERS.contains(producer.opType()) || !producer.domain().isEmpty()
                    || producer.attributes().has(FusedActivation.ATTR_ACTIVATION) || producer.outputCount() != 1) {
                continue;
            }
            float[] params = parameters(act, constants);
            if (params == null) {
                continue;
            }
            Attributes attrs = producer.attributes().with(
                    AttributeProto.newBuilder().setName(FusedActivation.ATTR_ACTIVATION)
                            .setType(AttributeProto.AttributeType.STRING)
                            .setS(com.google.protobuf.ByteString.copyFromUtf8(act.opType())).build(),
                    floatAttr(FusedActivation.ATTR_ALPHA, params[0]),
                    floatAttr(FusedActivation.ATTR_BETA, params[1]));
            out.set(pi, new Node(producer.name(), producer.opType(), producer.domain(), producer.opset(),
                    producer.inputs(), act.outputs(), attrs));
            removed.add(i);
        }
        List<Node> result = new ArrayList<>(out.size() - removed.size());
        for (int i = 0; i < out.size(); i++) {
            if (!removed.contains(i)) {
                result.add(out.get(i));
            }
        }
        return result;
    }

    /** Initializers plus the values of Constant nodes (PyTorch feeds Clip's bounds from them). */
    private static Map<String, Tensor> withConstantNodes(List<Node> nodes, Map<String, Tensor> initializers) {
        Map<String, Tensor> all = new HashMap<>(initializers);
        for (Node n : nodes) {
            if (n.opType().equals("Constant") && n.domain().isEmpty() && n.hasOutput(0)
                    && n.attributes().has("value")) {
                all.put(n.outputs().get(0), n.attributes().getTensor("value"));
            }
        }
        return all;
    }

    /** {alpha, beta} of the activation, or null when they are not known at load time. */
    private static float[] parameters(Node act, Map<String, Tensor> constants) {
        Attributes a = act.attributes();
        switch (act.opType()) {
            case "LeakyRelu":
                return new float[] {a.getFloat("alpha", 0.01f), 0f};
            case "HardSigmoid":
                return new float[] {a.getFloat("alpha", 0.2f), a.getFloat("beta", 0.5f)};
            case "Clip":
                if (act.opset() < 11) {
                    return new float[] {a.getFloat("min", -Float.MAX_VALUE), a.getFloat("max", Float.MAX_VALUE)};
                }
                Float min = bound(act, 1, constants, Float.NEGATIVE_INFINITY);
                Float max = bound(act, 2, constants, Float.POSITIVE_INFINITY);
                return min == null || max == null ? null : new float[] {min, max};
            default:
                return new float[] {0f, 0f};
        }
    }

    private static Float bound(Node act, int input, Map<String, Tensor> constants, float absent) {
        if (!act.hasInput(input)) {
            return absent;
        }
        Tensor t = constants.get(act.inputs().get(input));
        if (t == null || t.size() != 1 || !t.dataType().isFloatingPoint()) {
            return null;
        }
        return (float) t.getDouble(0);
    }

    private static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }
}
