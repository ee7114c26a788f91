package dev.continuum.engine.internal;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.FusedActivation;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graph rewrites. Before kernels are made: an activation whose only input is produced by a Conv,
 * ConvTranspose or Gemm that nothing else reads is folded into that producer's epilogue (see
 * {@link FusedActivation}). After shapes are known: a residual connection, an Add of a kernel's
 * output and another value of the same static shape, and the activation that alone reads the sum,
 * are folded into the producing kernel ({@link Kernel#withResidual}). Results are identical to the
 * unfused graph up to float rounding of the activation itself.
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
            Attributes attrs = producer.attributes().with(activationAttributes(act.opType(), params));
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

    /**
     * Folds each {@code act(Add(p, r))} into the kernel of p, where p's only reader is the Add, p, r and
     * the sum are float tensors of one static shape, and the activation (if any) is the sum's only reader
     * and neither intermediate value is a graph output. The fused node takes p's inputs, then r (after
     * an empty bias when p has none), runs where the Add ran (r is ready there, p's inputs were ready
     * before) and writes the activation's output, or the Add's. Rewrites the two lists in place.
     */
    static void fuseResiduals(List<Node> nodes, List<Kernel> kernels, Map<String, ValueType> types,
                              Map<String, Tensor> constants, Set<String> graphOutputs) {
        Map<String, Integer> readers = new HashMap<>();
        Map<String, Integer> producerIndex = new HashMap<>();
        Map<String, Integer> readerIndex = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readers.merge(in, 1, Integer::sum);
                    readerIndex.put(in, i);
                }
            }
            for (String o : n.outputs()) {
                producerIndex.put(o, i);
            }
        }
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node add = nodes.get(i);
            if (removed.contains(i) || !add.opType().equals("Add") || !add.domain().isEmpty() || add.inputCount() != 2
                    || !add.hasInput(0) || !add.hasInput(1) || add.outputCount() != 1) {
                continue;
            }
            String sum = add.outputs().get(0);
            ValueType sumType = types.get(sum);
            if (sumType == null || sumType.type() != DataType.FLOAT || !sumType.isStatic()) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                String p = add.inputs().get(side);
                String r = add.inputs().get(1 - side);
                Integer pi = producerIndex.get(p);
                if (p.equals(r) || pi == null || removed.contains(pi) || readers.getOrDefault(p, 0) != 1
                        || graphOutputs.contains(p) || !sameShape(types.get(p), sumType)
                        || !sameShape(types.get(r), sumType)) {
                    continue;
                }
                Node producer = nodes.get(pi);
                if (producer.outputCount() != 1) {
                    continue;
                }
                // the activation that alone reads the sum, if it can be fused (its parameters known here:
                // Constant nodes are folded by now, their values among the constants)
                Node act = null;
                float[] params = null;
                Integer ai = readerIndex.get(sum);
                if (readers.getOrDefault(sum, 0) == 1 && !graphOutputs.contains(sum) && ai != null) {
                    Node a = nodes.get(ai);
                    if (a.domain().isEmpty() && FusedActivation.kindOf(a.opType()) != null && a.outputCount() == 1
                            && a.hasInput(0) && a.inputs().get(0).equals(sum)) {
                        params = parameters(a, constants);
                        act = params != null ? a : null;
                    }
                }
                FusedActivation activation = act == null ? FusedActivation.none()
                        : new FusedActivation(FusedActivation.kindOf(act.opType()), params[0], params[1]);
                Kernel fused = kernels.get(pi).withResidual(activation);
                if (fused == null) {
                    continue;
                }
                List<String> inputs = new ArrayList<>(producer.inputs());
                while (inputs.size() < 3) {
                    inputs.add("");
                }
                inputs.add(r);
                Attributes attrs = producer.attributes();
                if (act != null) {
                    attrs = attrs.with(activationAttributes(act.opType(), params));
                    removed.add(ai);
                }
                nodes.set(i, new Node(producer.name(), producer.opType(), producer.domain(), producer.opset(), inputs,
                        act != null ? act.outputs() : add.outputs(), attrs));
                kernels.set(i, fused);
                removed.add(pi);
                break;
            }
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (removed.contains(i)) {
                nodes.remove(i);
                kernels.remove(i);
            }
        }
    }

    private static boolean sameShape(ValueType t, ValueType sum) {
        return t != null && t.type() == DataType.FLOAT && t.isStatic() && Arrays.equals(t.shape(), sum.shape());
    }

    /** The attributes that fuse this activation into a producer ({@link FusedActivation#from} reads them). */
    private static AttributeProto[] activationAttributes(String opType, float[] params) {
        return new AttributeProto[] {
            AttributeProto.newBuilder().setName(FusedActivation.ATTR_ACTIVATION)
                    .setType(AttributeProto.AttributeType.STRING)
                    .setS(com.google.protobuf.ByteString.copyFromUtf8(opType)).build(),
            floatAttr(FusedActivation.ATTR_ALPHA, params[0]),
            floatAttr(FusedActivation.ATTR_BETA, params[1])};
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
