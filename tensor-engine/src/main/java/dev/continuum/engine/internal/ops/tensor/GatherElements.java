package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX GatherElements: {@code out[i][j][k] = data[index[i][j][k]][j][k]} for axis 0 (and alike);
 * the output has the shape of {@code indices}.
 */
final class GatherElements implements Kernel {
    private final long axis;

    GatherElements(Node node) {
        this.axis = node.attributes().getInt("axis", 0);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor data = inputs[0];
        int[] in = data.dims();
        int[] shape = inputs[1].dims();
        int a = Shapes.axis(axis, in.length, "attribute 'axis'");
        if (shape.length != in.length) {
            throw new IllegalArgumentException("input 'indices' has shape " + Shapes.str(shape) + ", expected rank "
                    + in.length);
        }
        for (int d = 0; d < in.length; d++) {
            if (d != a && shape[d] > in[d]) {
                throw new IllegalArgumentException("input 'indices' has shape " + Shapes.str(shape)
                        + ", larger than data " + Shapes.str(in) + " on axis " + d);
            }
        }
        int[] strides = Shapes.strides(in);
        int[] along = strides.clone();
        along[a] = 0;
        int[] flat = Gathers.offsets(shape, Gathers.stridedAxes(shape, along));
        long[] idx = Shapes.toLongs(inputs[1], "input 'indices'");
        for (int i = 0; i < flat.length; i++) {
            flat[i] += Gather.checkIndex(idx[i], in[a], a) * strides[a];
        }
        return new Tensor[] {Gathers.take(data, shape, flat)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {new ValueType(ctx.input(0).type(), Gathers.copyOrNull(ctx.input(1).shape()))};
    }
}
