package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX ConstantOfShape: a tensor of the shape given by the int64 input, filled with {@code value} (float 0). */
final class ConstantOfShape implements Kernel {
    private final Tensor value; // one element

    ConstantOfShape(Node node) {
        Tensor v = node.attributes().getTensor("value");
        if (v != null && v.size() != 1) {
            throw new IllegalArgumentException("attribute 'value' has " + v.size() + " elements, expected 1");
        }
        this.value = v != null ? v : Tensor.ofFloats(new int[] {1}, 0f);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        int[] shape = Shapes.toInts(inputs[0], "input 'input'");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("input 'input' " + Shapes.str(shape) + " has a negative dim");
            }
        }
        int[] index = new int[Shapes.size(shape)];
        return new Tensor[] {Gathers.take(value, shape, index)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        Tensor shape = ctx.constant(0);
        if (shape != null) {
            return new ValueType[] {new ValueType(value.dataType(), Shapes.toInts(shape, "input 'input'"))};
        }
        int[] s = ctx.input(0).shape();
        int rank = s != null && s.length == 1 ? s[0] : -1;
        return new ValueType[] {new ValueType(value.dataType(), rank < 0 ? null : Reshape.unknownDims(rank))};
    }
}
