package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Expand: broadcasts the input with the int64 {@code shape} input (bidirectionally, numpy style). */
final class Expand implements Kernel {
    Expand(Node node) {
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] shape = Shapes.toInts(inputs[1], "input 'shape'");
        int[] out = Shapes.broadcast(x.dims(), shape);
        int[] in = x.dims();
        int[] inStrides = Shapes.strides(in);
        int[] strides = new int[out.length];
        for (int d = 0; d < out.length; d++) {
            int j = d - (out.length - in.length);
            strides[d] = j >= 0 && in[j] != 1 ? inStrides[j] : 0;
        }
        Object dst = Copies.alloc(ctx, x.dataType(), Shapes.size(out));
        Copies.strided(x.data(), 0, out, strides, dst, 0);
        return new Tensor[] {Tensor.of(x.dataType(), out, dst)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        Tensor shape = ctx.constant(1);
        if (shape == null) {
            int[] s = ctx.input(1).shape();
            boolean rankKnown = s != null && s.length == 1 && s[0] >= 0 && in.shape() != null;
            return new ValueType[] {new ValueType(in.type(),
                    rankKnown ? Reshape.unknownDims(Math.max(s[0], in.rank())) : null)};
        }
        return new ValueType[] {new ValueType(in.type(),
                Shapes.broadcastPartial(in.shape(), Shapes.toInts(shape, "input 'shape'")))};
    }
}
