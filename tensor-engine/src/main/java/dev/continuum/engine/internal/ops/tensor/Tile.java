package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Tile: repeats the input {@code repeats[d]} times along each axis d. */
final class Tile implements Kernel {
    Tile(Node node) {
    }

    private static int[] repeats(Tensor r, int rank) {
        int[] rep = Shapes.toInts(r, "input 'repeats'");
        if (rep.length != rank) {
            throw new IllegalArgumentException("input 'repeats' has " + rep.length + " entries, expected the input rank "
                    + rank);
        }
        for (int v : rep) {
            if (v < 0) {
                throw new IllegalArgumentException("input 'repeats' " + Shapes.str(rep) + " has a negative entry");
            }
        }
        return rep;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        int[] rep = repeats(inputs[1], in.length);
        int[] strides = Shapes.strides(in);
        int[] out = new int[in.length];
        int[][] axes = new int[in.length][];
        for (int d = 0; d < in.length; d++) {
            out[d] = in[d] * rep[d];
            axes[d] = new int[out[d]];
            for (int i = 0; i < out[d]; i++) {
                axes[d][i] = (i % in[d]) * strides[d];
            }
        }
        return new Tensor[] {Gathers.take(x, out, Gathers.offsets(out, axes))};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        Tensor r = ctx.constant(1);
        if (in.shape() == null || r == null) {
            return new ValueType[] {new ValueType(in.type(), in.shape() == null ? null : Reshape.unknownDims(in.rank()))};
        }
        int[] rep = repeats(r, in.rank());
        int[] out = new int[rep.length];
        for (int d = 0; d < rep.length; d++) {
            out[d] = in.shape()[d] < 0 ? -1 : in.shape()[d] * rep[d];
        }
        return new ValueType[] {new ValueType(in.type(), out)};
    }
}
