package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Split along {@code axis}: part sizes from the {@code split} attribute (before 13) or input
 * (since 13), else {@code num_outputs} parts of ceil(dim / n) with a smaller last one (since 18),
 * else equal parts, one per output.
 */
final class Split implements Kernel {
    private final long axis;
    private final int outputs;
    private final int[] attributeSplit; // null unless given as attribute (before 13)
    private final int numOutputs; // 0 unless given (since 18)

    private Split(Node node, int[] attributeSplit, int numOutputs) {
        this.axis = node.attributes().getInt("axis", 0);
        this.outputs = node.outputCount();
        this.attributeSplit = attributeSplit;
        this.numOutputs = numOutputs;
        if (attributeSplit != null && attributeSplit.length != outputs) {
            throw new IllegalArgumentException("attribute 'split' has " + attributeSplit.length + " entries, node has "
                    + outputs + " outputs");
        }
        if (numOutputs != 0 && numOutputs != outputs) {
            throw new IllegalArgumentException("attribute 'num_outputs' is " + numOutputs + ", node has " + outputs
                    + " outputs");
        }
    }

    static Split fromAttribute(Node node) {
        return new Split(node, node.attributes().getIntArray("split", null), 0);
    }

    static Split fromInput(Node node) {
        return new Split(node, null, 0);
    }

    static Split withNumOutputs(Node node) {
        return new Split(node, null, (int) node.attributes().getInt("num_outputs", 0));
    }

    private int[] sizes(int dim, Tensor splitInput) {
        int[] s = attributeSplit;
        if (s == null && splitInput != null) {
            s = Shapes.toInts(splitInput, "input 'split'");
            if (s.length != outputs) {
                throw new IllegalArgumentException("input 'split' has " + s.length + " entries, node has " + outputs
                        + " outputs");
            }
        }
        if (s != null) {
            long total = 0;
            for (int v : s) {
                if (v < 0) {
                    throw new IllegalArgumentException("split size " + v + " is negative");
                }
                total += v;
            }
            if (total != dim) {
                throw new IllegalArgumentException("split sizes " + Shapes.str(s) + " sum to " + total
                        + ", expected the axis dim " + dim);
            }
            return s;
        }
        s = new int[outputs];
        if (numOutputs > 0) {
            int chunk = (dim + numOutputs - 1) / numOutputs;
            for (int i = 0, left = dim; i < outputs; i++) {
                s[i] = Math.min(chunk, left);
                left -= s[i];
            }
            return s;
        }
        if (dim % outputs != 0) {
            throw new IllegalArgumentException("cannot split axis of size " + dim + " into " + outputs + " equal parts");
        }
        java.util.Arrays.fill(s, dim / outputs);
        return s;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        int a = Shapes.axis(axis, in.length, "attribute 'axis'");
        int[] sizes = sizes(in[a], inputs.length > 1 ? inputs[1] : null);
        int outer = Shapes.product(in, 0, a);
        int inner = Shapes.product(in, a + 1, in.length);
        int inBlock = in[a] * inner;
        Tensor[] result = new Tensor[outputs];
        int offset = 0;
        for (int k = 0; k < outputs; k++) {
            int[] shape = in.clone();
            shape[a] = sizes[k];
            int block = sizes[k] * inner;
            Object dst = Copies.alloc(ctx, x.dataType(), outer * block);
            for (int o = 0; o < outer && block > 0; o++) {
                System.arraycopy(x.data(), o * inBlock + offset, dst, o * block, block);
            }
            offset += block;
            result[k] = Tensor.of(x.dataType(), shape, dst);
        }
        return result;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        ValueType[] out = new ValueType[outputs];
        java.util.Arrays.fill(out, new ValueType(in.type(), null));
        boolean splitUnknown = attributeSplit == null && ctx.hasInput(1) && ctx.constant(1) == null;
        if (in.shape() == null || splitUnknown) {
            return out;
        }
        int a = Shapes.axis(axis, in.rank(), "attribute 'axis'");
        int dim = in.shape()[a];
        if (dim < 0) {
            return out;
        }
        int[] sizes = sizes(dim, ctx.hasInput(1) ? ctx.constant(1) : null);
        for (int k = 0; k < outputs; k++) {
            int[] s = in.shape().clone();
            s[a] = sizes[k];
            out[k] = new ValueType(in.type(), s);
        }
        return out;
    }
}
