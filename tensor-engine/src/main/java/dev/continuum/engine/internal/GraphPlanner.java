package dev.continuum.engine.internal;

import dev.continuum.engine.ModelFormatException;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns sorted nodes into a {@link LoadedGraph}: folds nodes whose inputs are all constant, infers
 * every value's type and shape, estimates FLOPs, and assigns slots with their release points.
 */
final class GraphPlanner {
    /** Folded results above this many elements are computed at run time instead of kept. */
    private static final int MAX_FOLDED_ELEMENTS = 1 << 24;

    private final List<Node> nodes;
    private final List<Kernel> kernels;
    private final List<TensorInfo> inputs;
    private final List<TensorInfo> outputs;
    private final Map<String, Tensor> constants;
    private final Map<String, TensorInfo> declared;
    private final Map<String, Integer> opsets;
    private final String producer;
    private final Map<String, ValueType> types = new HashMap<>();
    /** Estimated flops per node name (a fused node keeps its producer's name and estimate). */
    private final Map<String, Long> nodeFlops = new HashMap<>();
    private final long parameterCount;

    GraphPlanner(List<Node> nodes, List<Kernel> kernels, List<TensorInfo> inputs, List<TensorInfo> outputs,
                 Map<String, Tensor> initializers, Map<String, ValueType> placeholders,
                 Map<String, TensorInfo> declared, Map<String, Integer> opsets, String producer) {
        this.nodes = nodes;
        this.kernels = kernels;
        this.inputs = inputs;
        this.outputs = outputs;
        this.constants = new LinkedHashMap<>(initializers);
        this.declared = declared;
        this.opsets = opsets;
        this.producer = producer;
        long params = 0;
        for (Tensor t : initializers.values()) {
            params += t.size();
        }
        for (ValueType t : placeholders.values()) {
            long n = 1;
            for (int d : t.shape()) {
                n *= d;
            }
            params += n;
        }
        this.parameterCount = params;
        this.types.putAll(placeholders);
    }

    LoadedGraph plan() {
        for (TensorInfo i : inputs) {
            types.put(i.name(), new ValueType(i.dataType(), i.shape()));
        }
        for (Map.Entry<String, Tensor> c : constants.entrySet()) {
            types.put(c.getKey(), ValueType.of(c.getValue().dataType(), c.getValue().dims()));
        }
        List<Node> runNodes = new ArrayList<>();
        List<Kernel> runKernels = new ArrayList<>();
        long flops = 0;
        TreeSet<String> opTypes = new TreeSet<>();
        Map<String, Integer> readersLeft = new HashMap<>();
        for (Node n : nodes) {
            n.inputs().forEach(in -> readersLeft.merge(in, 1, Integer::sum));
        }
        Set<String> readAtRun = new HashSet<>();
        outputs.forEach(o -> readAtRun.add(o.name()));
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Kernel k = kernels.get(i);
            opTypes.add(n.opType());
            Kernel run = null;
            if (!fold(n, k)) {
                inferTypes(n, k);
                run = specialize(n, k);
                runNodes.add(n);
                runKernels.add(run);
                long f = FlopEstimator.estimate(n, this::typeOf);
                nodeFlops.put(n.name(), f);
                flops += f;
            }
            releasePacked(n, run, readersLeft, readAtRun);
        }
        List<TensorInfo> resolvedOutputs = new ArrayList<>();
        for (TensorInfo o : outputs) {
            ValueType t = types.get(o.name());
            boolean declaredKnown = o.shape() != null && o.dataType() != null;
            resolvedOutputs.add(declaredKnown || t == null ? o : new TensorInfo(o.name(),
                    t.type() != null ? t.type() : o.dataType(), t.shape()));
        }
        Set<String> outputNames = new HashSet<>();
        resolvedOutputs.forEach(o -> outputNames.add(o.name()));
        Fusion.fuseResiduals(runNodes, runKernels, types, constants, outputNames);
        eliminateDeadNodes(runNodes, runKernels, resolvedOutputs);
        return schedule(runNodes, runKernels, resolvedOutputs, flops, opTypes);
    }

    /**
     * Lets go of each constant whose last reader has been planned, where no planned step reads it at run
     * time (a weight a kernel packed, {@link Kernel#readsAtRun}): a load then holds the raw weights of
     * the layers not yet packed only, not all of them until the end. run is n's kernel, null if n was folded.
     */
    private void releasePacked(Node n, Kernel run, Map<String, Integer> readersLeft, Set<String> readAtRun) {
        for (int i = 0; i < n.inputCount(); i++) {
            if (!n.hasInput(i)) {
                continue;
            }
            String in = n.inputs().get(i);
            if (run != null && run.readsAtRun(i)) {
                readAtRun.add(in);
            }
            if (readersLeft.merge(in, -1, Integer::sum) == 0 && !readAtRun.contains(in)) {
                constants.remove(in);
            }
        }
    }

    /** Drops nodes none of whose outputs is read by a remaining node or is a graph output. */
    private static void eliminateDeadNodes(List<Node> nodes, List<Kernel> kernels, List<TensorInfo> outputs) {
        Set<String> needed = new HashSet<>();
        outputs.forEach(o -> needed.add(o.name()));
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            boolean live = n.outputs().stream().anyMatch(needed::contains);
            if (live) {
                needed.addAll(n.inputs());
            } else {
                nodes.remove(i);
                kernels.remove(i);
            }
        }
    }

    private ValueType typeOf(String name) {
        return name.isEmpty() ? ValueType.unknown() : types.getOrDefault(name, ValueType.unknown());
    }

    private boolean fold(Node n, Kernel k) {
        if (foldShapeOf(n)) {
            return true;
        }
        for (String in : n.inputs()) {
            if (!in.isEmpty() && !constants.containsKey(in)) {
                return false;
            }
        }
        Tensor[] args = new Tensor[n.inputCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = n.hasInput(i) ? constants.get(n.inputs().get(i)) : null;
        }
        Tensor[] out;
        try {
            out = k.compute(ExecContext.serial(), args);
        } catch (UnsupportedOperationException e) {
            throw new dev.continuum.engine.UnsupportedOperatorException(n.name(), n.opType(), n.domain(), n.opset(),
                    e.getMessage());
        } catch (RuntimeException e) {
            throw new ModelFormatException(n.describe() + ": " + e.getMessage(), e);
        }
        boolean keep = true;
        for (int i = 0; i < n.outputCount(); i++) {
            if (n.hasOutput(i) && (i >= out.length || out[i] == null || out[i].size() > MAX_FOLDED_ELEMENTS)) {
                keep = false;
            }
        }
        for (int i = 0; i < n.outputCount(); i++) {
            if (n.hasOutput(i) && i < out.length && out[i] != null) {
                types.put(n.outputs().get(i), ValueType.of(out[i].dataType(), out[i].dims()));
                if (keep) {
                    constants.put(n.outputs().get(i), out[i]);
                }
            }
        }
        return keep;
    }

    /**
     * Shape and Size of a value whose shape is fully known are constants even when the value is not
     * (inputs are checked against their declared shapes before every run).
     */
    private boolean foldShapeOf(Node n) {
        if (!n.domain().isEmpty() || !(n.opType().equals("Shape") || n.opType().equals("Size")) || !n.hasInput(0)
                || !n.hasOutput(0)) {
            return false;
        }
        ValueType in = typeOf(n.inputs().get(0));
        if (!in.isStatic()) {
            return false;
        }
        int[] dims = in.shape();
        Tensor value;
        if (n.opType().equals("Size")) {
            long size = 1;
            for (int d : dims) {
                size *= d;
            }
            value = Tensor.ofLongs(new int[0], size);
        } else {
            int rank = dims.length;
            int start = clampAxis(n.attributes().getInt("start", 0), rank);
            int end = clampAxis(n.attributes().getInt("end", rank), rank);
            long[] v = new long[Math.max(0, end - start)];
            for (int i = 0; i < v.length; i++) {
                v[i] = dims[start + i];
            }
            value = Tensor.ofLongs(new int[] {v.length}, v);
        }
        constants.put(n.outputs().get(0), value);
        types.put(n.outputs().get(0), ValueType.of(value.dataType(), value.dims()));
        return true;
    }

    private static int clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return (int) Math.max(0, Math.min(rank, a));
    }

    private Kernel specialize(Node n, Kernel k) {
        try {
            return k.specialize(new Context(n));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(n.describe() + ": " + e.getMessage(), e);
        }
    }

    private void inferTypes(Node n, Kernel k) {
        ValueType[] inferred;
        try {
            inferred = k.inferTypes(new Context(n));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(n.describe() + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < n.outputCount(); i++) {
            if (!n.hasOutput(i)) {
                continue;
            }
            String name = n.outputs().get(i);
            ValueType t = inferred != null && i < inferred.length && inferred[i] != null ? inferred[i] : null;
            TensorInfo d = declared.get(name);
            if ((t == null || !t.isStatic()) && d != null && d.shape() != null) {
                t = new ValueType(d.dataType(), d.shape());
            }
            types.put(name, t == null ? ValueType.unknown() : t);
        }
    }

    private final class Context implements TypeContext {
        private final Node node;

        Context(Node node) {
            this.node = node;
        }

        @Override
        public int inputCount() {
            return node.inputCount();
        }

        @Override
        public ValueType input(int i) {
            return node.hasInput(i) ? typeOf(node.inputs().get(i)) : ValueType.unknown();
        }

        @Override
        public Tensor constant(int i) {
            return node.hasInput(i) ? constants.get(node.inputs().get(i)) : null;
        }

        @Override
        public boolean hasInput(int i) {
            return node.hasInput(i);
        }
    }

    private LoadedGraph schedule(List<Node> runNodes, List<Kernel> runKernels, List<TensorInfo> resolvedOutputs,
                                 long flops, TreeSet<String> opTypes) {
        Map<String, Integer> slots = new HashMap<>();
        List<String> constantNames = new ArrayList<>();
        for (TensorInfo i : inputs) {
            slots.put(i.name(), slots.size());
        }
        // only constants that a remaining node reads at run time (Kernel.readsAtRun) or that are outputs are kept
        Set<String> read = new HashSet<>();
        for (int s = 0; s < runNodes.size(); s++) {
            Node n = runNodes.get(s);
            for (int i = 0; i < n.inputCount(); i++) {
                if (n.hasInput(i) && runKernels.get(s).readsAtRun(i)) {
                    read.add(n.inputs().get(i));
                }
            }
        }
        for (TensorInfo o : resolvedOutputs) {
            read.add(o.name());
        }
        for (String c : constants.keySet()) {
            if (read.contains(c) && !slots.containsKey(c)) {
                slots.put(c, slots.size());
                constantNames.add(c);
            }
        }
        for (Node n : runNodes) {
            for (String o : n.outputs()) {
                if (!o.isEmpty()) {
                    slots.putIfAbsent(o, slots.size());
                }
            }
        }
        for (Node n : runNodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    slots.putIfAbsent(in, slots.size()); // shape-only initializers of an inspected model
                }
            }
        }
        for (TensorInfo o : resolvedOutputs) {
            slots.putIfAbsent(o.name(), slots.size());
        }
        Map<Integer, Integer> lastUse = new HashMap<>();
        for (int s = 0; s < runNodes.size(); s++) {
            for (String in : runNodes.get(s).inputs()) {
                if (!in.isEmpty()) {
                    lastUse.put(slots.get(in), s);
                }
            }
        }
        Set<Integer> pinned = new HashSet<>();
        for (TensorInfo o : resolvedOutputs) {
            pinned.add(slots.get(o.name()));
        }
        for (String c : constantNames) {
            pinned.add(slots.get(c));
        }
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < runNodes.size(); s++) {
            Node n = runNodes.get(s);
            int[] in = new int[n.inputCount()];
            for (int i = 0; i < in.length; i++) {
                in[i] = n.hasInput(i) ? slots.get(n.inputs().get(i)) : -1;
            }
            int[] out = new int[n.outputCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = n.hasOutput(i) ? slots.get(n.outputs().get(i)) : -1;
            }
            final int step = s;
            int[] release = Arrays.stream(in).distinct()
                    .filter(slot -> slot >= 0 && !pinned.contains(slot) && lastUse.get(slot) == step).toArray();
            steps.add(new Step(n, runKernels.get(s), in, out, release, nodeFlops.getOrDefault(n.name(), 0L)));
        }
        int[] constantSlots = new int[constantNames.size()];
        Tensor[] constantValues = new Tensor[constantNames.size()];
        for (int i = 0; i < constantSlots.length; i++) {
            constantSlots[i] = slots.get(constantNames.get(i));
            constantValues[i] = constants.get(constantNames.get(i));
        }
        int[] inputSlots = inputs.stream().mapToInt(i -> slots.get(i.name())).toArray();
        int[] outputSlots = resolvedOutputs.stream().mapToInt(o -> slots.get(o.name())).toArray();
        return new LoadedGraph(List.copyOf(inputs), List.copyOf(resolvedOutputs), Map.copyOf(opsets), List.copyOf(steps),
                slots.size(), constantSlots, constantValues, inputSlots, outputSlots, Map.copyOf(types), parameterCount,
                flops, Collections.unmodifiableSet(opTypes), producer);
    }
}
