package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Gather: picks entries of {@code data} along {@code axis} at {@code indices} (int32 or int64,
 * negative counting from the end); output shape is data[:axis] + indices + data[axis+1:].
 */
final class Gather implements Kernel {
    private final long axis;

    Gather(Node node) {
        this.axis = node.attributes().getInt("axis", 0);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor data = inputs[0];
        int[] in = data.dims();
        int a = Shapes.axis(axis, in.length, "attribute 'axis'");
        long[] idx = Shapes.toLongs(inputs[1], "input 'indices'");
        int outer = Shapes.product(in, 0, a);
        int inner = Shapes.product(in, a + 1, in.length);
        int dim = in[a];
        int[] shape = outShape(in, inputs[1].dims(), a);
        int[] rows = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
            rows[j] = checkIndex(idx[j], dim, a);
        }
        Object src = data.data();
        Object dst = Copies.alloc(ctx, data.dataType(), outer * idx.length * inner);
        int o = 0;
        for (int i = 0; i < outer; i++) {
            int base = i * dim * inner;
            for (int row : rows) {
                Copies.run(src, base + row * inner, 1, dst, o, inner);
                o += inner;
            }
        }
        return new Tensor[] {Tensor.of(data.dataType(), shape, dst)};
    }

    static int checkIndex(long i, int dim, int axis) {
        long j = i < 0 ? i + dim : i;
        if (j < 0 || j >= dim) {
            throw new IllegalArgumentException("index " + i + " is out of range for axis " + axis + " of size " + dim);
        }
        return (int) j;
    }

    private static int[] outShape(int[] in, int[] indices, int a) {
        int[] out = new int[in.length - 1 + indices.length];
        System.arraycopy(in, 0, out, 0, a);
        System.arraycopy(indices, 0, out, a, indices.length);
        System.arraycopy(in, a + 1, out, a + indices.length, in.length - a - 1);
        return out;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType data = ctx.input(0);
        int[] indices = ctx.input(1).shape();
        if (data.shape() == null || indices == null) {
            return new ValueType[] {new ValueType(data.type(), null)};
        }
        int a = Shapes.axis(axis, data.rank(), "attribute 'axis'");
        return new ValueType[] {new ValueType(data.type(), outShape(data.shape(), indices, a))};
    }
}
