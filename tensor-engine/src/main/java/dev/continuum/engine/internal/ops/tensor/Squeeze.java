package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Squeeze: removes the size-1 axes named by {@code axes} (an attribute before 13, an optional
 * input since 13), or every size-1 axis when none are named. The output shares the input's data.
 */
final class Squeeze implements Kernel {
    private final int[] attributeAxes; // null when the axes come from input 1 or are absent

    private Squeeze(int[] attributeAxes) {
        this.attributeAxes = attributeAxes;
    }

    static Squeeze fromAttribute(Node node) {
        return new Squeeze(node.attributes().getIntArray("axes", null));
    }

    static Squeeze fromInput(Node node) {
        return new Squeeze(null);
    }

    private int[] axes(Tensor[] inputs) {
        if (attributeAxes != null) {
            return attributeAxes;
        }
        return inputs.length > 1 && inputs[1] != null ? Shapes.toInts(inputs[1], "input 'axes'") : null;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        return new Tensor[] {x.reshape(squeeze(x.dims(), axes(inputs)))};
    }

    static int[] squeeze(int[] in, int[] axes) {
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) {
                drop[i] = in[i] == 1;
            }
        } else {
            for (int a : axes) {
                int ax = Shapes.axis(a, in.length, "axes value");
                if (in[ax] != 1 && in[ax] >= 0) {
                    throw new IllegalArgumentException("cannot squeeze axis " + a + " of shape " + Shapes.str(in)
                            + ": dim is " + in[ax] + ", expected 1");
                }
                drop[ax] = true;
            }
        }
        int n = 0;
        for (boolean d : drop) {
            n += d ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (!drop[i]) {
                out[j++] = in[i];
            }
        }
        return out;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        int[] axes = attributeAxes;
        if (axes == null && ctx.hasInput(1)) {
            Tensor c = ctx.constant(1);
            if (c == null) {
                return new ValueType[] {new ValueType(in.type(), null)};
            }
            axes = Shapes.toInts(c, "input 'axes'");
        }
        if (in.shape() == null || axes == null && !in.isStatic()) {
            return new ValueType[] {new ValueType(in.type(), null)};
        }
        return new ValueType[] {new ValueType(in.type(), squeeze(in.shape(), axes))};
    }
}
