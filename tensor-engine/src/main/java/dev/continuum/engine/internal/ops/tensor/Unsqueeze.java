package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Unsqueeze: inserts size-1 axes at {@code axes} of the output (an attribute before 13, an
 * input since 13; negative axes count from the output's end). The output shares the input's data.
 */
final class Unsqueeze implements Kernel {
    private final int[] attributeAxes; // null when the axes come from input 1

    private Unsqueeze(int[] attributeAxes) {
        this.attributeAxes = attributeAxes;
    }

    static Unsqueeze fromAttribute(Node node) {
        int[] axes = node.attributes().getIntArray("axes", null);
        if (axes == null) {
            throw new IllegalArgumentException("required attribute 'axes' is missing");
        }
        return new Unsqueeze(axes);
    }

    static Unsqueeze fromInput(Node node) {
        return new Unsqueeze(null);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        int[] axes = attributeAxes != null ? attributeAxes : Shapes.toInts(inputs[1], "input 'axes'");
        return new Tensor[] {inputs[0].reshape(unsqueeze(inputs[0].dims(), axes))};
    }

    static int[] unsqueeze(int[] in, int[] axes) {
        int rank = in.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (int a : axes) {
            int ax = Shapes.axis(a, rank, "axes value");
            if (inserted[ax]) {
                throw new IllegalArgumentException("axes value " + a + " is repeated");
            }
            inserted[ax] = true;
        }
        int[] out = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : in[j++];
        }
        return out;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        int[] axes = attributeAxes;
        if (axes == null) {
            Tensor c = ctx.constant(1);
            axes = c == null ? null : Shapes.toInts(c, "input 'axes'");
        }
        if (axes == null || in.shape() == null) {
            return new ValueType[] {new ValueType(in.type(), null)};
        }
        return new ValueType[] {new ValueType(in.type(), unsqueeze(in.shape(), axes))};
    }
}
