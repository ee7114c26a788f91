package dev.continuum.engine.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.continuum.engine.DataType;
import dev.continuum.engine.ModelFormatException;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.engine.UnsupportedModelException;
import dev.continuum.engine.UnsupportedOperatorException;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.KernelFactory;
import dev.continuum.engine.internal.ops.OpRegistry;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import dev.continuum.engine.onnx.NodeProto;
import dev.continuum.engine.onnx.OperatorSetIdProto;
import dev.continuum.engine.onnx.TensorProto;
import dev.continuum.engine.onnx.TensorShapeProto;
import dev.continuum.engine.onnx.TypeProto;
import dev.continuum.engine.onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates an ONNX model and hands it to the {@link GraphPlanner}. Everything wrong
 * with a model is found here, before any run: malformed bytes, unsupported opsets and operators,
 * bad attributes, dangling value names, cycles.
 */
public final class ModelLoader {
    /** The oldest and newest default-domain opsets the engine accepts. */
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 25;

    private final OpRegistry registry;

    public ModelLoader(OpRegistry registry) {
        this.registry = registry;
    }

    public LoadedGraph load(InputStream in, Path baseDir) {
        return load(parse(CodedInputStream.newInstance(in)), baseDir);
    }

    /**
     * Loads a model from its bytes, which must not change until this returns: the weights are
     * decoded straight from them, without a copy of each tensor's bytes on the heap.
     */
    public LoadedGraph load(ByteBuffer bytes, Path baseDir) {
        CodedInputStream cis = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
        cis.enableAliasing(true);
        return load(parse(cis), baseDir);
    }

    private static ModelProto parse(CodedInputStream cis) {
        try {
            cis.setSizeLimit(Integer.MAX_VALUE);
            cis.setRecursionLimit(256);
            return ModelProto.parseFrom(cis);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not a valid ONNX model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * Validates a model of any size with bounded memory: initializer data above 64 KiB per tensor
     * (and external data) is not read, only its type and dims. The result describes the model
     * (signature, shapes, parameters, FLOPs) but cannot be run.
     */
    public LoadedGraph inspect(InputStream in) {
        Set<String> shapeOnly = new HashSet<>();
        ModelProto proto = new StrippedModelReader(64 * 1024, shapeOnly).read(in);
        return load(proto, null, shapeOnly);
    }

    public LoadedGraph load(ModelProto proto, Path baseDir) {
        return load(proto, baseDir, Set.of());
    }

    private LoadedGraph load(ModelProto proto, Path baseDir, Set<String> shapeOnly) {
        if (!proto.hasGraph()) {
            throw new ModelFormatException("not a valid ONNX model: it has no graph");
        }
        if (proto.getOpsetImportCount() == 0) {
            throw new ModelFormatException("not a valid ONNX model: it imports no opset");
        }
        Map<String, Integer> opsets = opsets(proto);
        GraphProto g = proto.getGraph();
        if (g.getOutputCount() == 0) {
            throw new ModelFormatException("not a valid ONNX model: the graph has no outputs");
        }

        Map<String, Tensor> initializers = new LinkedHashMap<>();
        Map<String, ValueType> placeholders = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new ModelFormatException("an initializer has no name");
            }
            if (shapeOnly.contains(t.getName())) {
                placeholders.put(t.getName(), placeholderType(t));
            } else {
                initializers.put(t.getName(), TensorProtos.toTensor(t, baseDir));
            }
        }
        if (g.getSparseInitializerCount() > 0) {
            throw new UnsupportedModelException("sparse initializers are not supported ('"
                    + g.getSparseInitializer(0).getValues().getName() + "')");
        }

        List<TensorInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!initializers.containsKey(v.getName()) && !placeholders.containsKey(v.getName())) {
                inputs.add(info(v));
            }
        }
        List<TensorInfo> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) {
            outputs.add(info(v));
        }
        Map<String, TensorInfo> declared = new HashMap<>();
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (v.getType().hasTensorType()) {
                declared.put(v.getName(), info(v));
            }
        }

        List<NodeProto> nodeProtos = g.getNodeList();
        FunctionInliner inliner = new FunctionInliner(proto.getFunctionsList());
        if (!inliner.isEmpty()) {
            nodeProtos = inliner.inline(nodeProtos);
        }
        Set<String> constantNames = new HashSet<>(initializers.keySet());
        constantNames.addAll(placeholders.keySet());
        List<Node> nodes = sortTopologically(nodes(nodeProtos, opsets), inputs, constantNames, outputs);
        Set<String> outputNames = new HashSet<>();
        outputs.forEach(o -> outputNames.add(o.name()));
        nodes = Fusion.fuseActivations(nodes, initializers, outputNames);
        List<Kernel> kernels = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            kernels.add(kernelFor(n));
        }
        GraphPlanner planner = new GraphPlanner(nodes, kernels, inputs, outputs, initializers, placeholders, declared,
                opsets, proto.getProducerName()
                + (proto.getProducerVersion().isEmpty() ? "" : " " + proto.getProducerVersion()));
        initializers.clear(); // the planner's now: it lets go of each weight a kernel has packed as it goes
        return planner.plan();
    }

    private static ValueType placeholderType(TensorProto t) {
        int[] dims = new int[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFormatException("tensor '" + t.getName() + "': invalid dimension " + d);
            }
            dims[i] = (int) d;
        }
        try {
            return ValueType.of(DataType.fromOnnx(t.getDataType()), dims);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException("tensor '" + t.getName() + "': " + e.getMessage());
        }
    }

    private static Map<String, Integer> opsets(ModelProto proto) {
        Map<String, Integer> opsets = new HashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            opsets.put(OpRegistry.normalizeDomain(o.getDomain()), (int) o.getVersion());
        }
        Integer onnx = opsets.get(OpRegistry.ONNX);
        if (onnx != null && (onnx < MIN_OPSET || onnx > MAX_OPSET)) {
            throw new UnsupportedModelException("the model imports ai.onnx opset " + onnx + "; the engine supports opsets "
                    + MIN_OPSET + " to " + MAX_OPSET);
        }
        return opsets;
    }

    private List<Node> nodes(List<NodeProto> protos, Map<String, Integer> opsets) {
        List<Node> nodes = new ArrayList<>(protos.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < protos.size(); i++) {
            NodeProto p = protos.get(i);
            String domain = OpRegistry.normalizeDomain(p.getDomain());
            String name = p.getName().isEmpty() || !names.add(p.getName()) ? p.getOpType() + "_" + i : p.getName();
            names.add(name);
            Integer opset = opsets.get(domain);
            if (opset == null) {
                throw new ModelFormatException("node '" + name + "' (" + p.getOpType() + ") uses domain '" + domain
                        + "' which the model does not import");
            }
            nodes.add(new Node(name, p.getOpType(), domain, opset, p.getInputList(), p.getOutputList(),
                    new Attributes(p.getAttributeList())));
        }
        return nodes;
    }

    private Kernel kernelFor(Node n) {
        KernelFactory f = registry.find(n.domain(), n.opType(), n.opset());
        if (f == null) {
            List<Integer> versions = registry.versions(n.domain(), n.opType());
            String detail = versions.isEmpty()
                    ? "operator is not supported by the engine"
                    : "operator is supported from opset " + versions.get(0) + ", not at opset " + n.opset();
            throw new UnsupportedOperatorException(n.name(), n.opType(), n.domain(), n.opset(), detail);
        }
        try {
            return f.create(n);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperatorException(n.name(), n.opType(), n.domain(), n.opset(), e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException(n.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Kahn's algorithm, stable in file order; names the first node whose input can never be produced. */
    private static List<Node> sortTopologically(List<Node> nodes, List<TensorInfo> inputs, Set<String> initializers,
                                                List<TensorInfo> outputs) {
        Set<String> available = new HashSet<>(initializers);
        for (TensorInfo i : inputs) {
            available.add(i.name());
        }
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producer.put(o, n) != null || available.contains(o)) {
                    throw new ModelFormatException("value '" + o + "' is defined more than once (" + n.describe() + ")");
                }
            }
        }
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !available.contains(in) && !producer.containsKey(in)) {
                    throw new ModelFormatException(n.describe() + ": input '" + in
                            + "' is not a graph input, an initializer or any node's output");
                }
            }
        }
        for (TensorInfo o : outputs) {
            if (!available.contains(o.name()) && !producer.containsKey(o.name())) {
                throw new ModelFormatException("graph output '" + o.name() + "' is not produced by any node");
            }
        }
        List<Node> sorted = new ArrayList<>(nodes.size());
        List<Node> pending = new ArrayList<>(nodes);
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            List<Node> still = new ArrayList<>();
            for (Node n : pending) {
                boolean ready = true;
                for (String in : n.inputs()) {
                    if (!in.isEmpty() && !available.contains(in)) {
                        ready = false;
                        break;
                    }
                }
                if (ready) {
                    sorted.add(n);
                    for (String o : n.outputs()) {
                        if (!o.isEmpty()) {
                            available.add(o);
                        }
                    }
                    progress = true;
                } else {
                    still.add(n);
                }
            }
            pending = still;
        }
        if (!pending.isEmpty()) {
            throw new ModelFormatException("the graph has a cycle through " + pending.get(0).describe());
        }
        return sorted;
    }

    static TensorInfo info(ValueInfoProto v) {
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            throw new UnsupportedModelException("value '" + v.getName() + "' is not a tensor (" + t.getValueCase()
                    + "); only tensors are supported");
        }
        DataType type;
        try {
            type = DataType.fromOnnx(t.getTensorType().getElemType());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException("value '" + v.getName() + "': " + e.getMessage());
        }
        if (!t.getTensorType().hasShape()) {
            return new TensorInfo(v.getName(), type, null);
        }
        List<TensorShapeProto.Dimension> dims = t.getTensorType().getShape().getDimList();
        int[] shape = new int[dims.size()];
        String[] names = new String[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            shape[i] = d.hasDimValue() && d.getDimValue() >= 0 && d.getDimValue() <= Integer.MAX_VALUE
                    ? (int) d.getDimValue() : -1;
            names[i] = d.hasDimParam() ? d.getDimParam() : null;
        }
        return new TensorInfo(v.getName(), type, shape, names);
    }
}
