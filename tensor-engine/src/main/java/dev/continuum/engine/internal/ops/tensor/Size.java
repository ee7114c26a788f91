package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Size: the input's element count as an int64 scalar. */
final class Size implements Kernel {
    Size(Node node) {
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        return new Tensor[] {Tensor.ofLongs(new int[0], inputs[0].size())};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {ValueType.of(DataType.INT64)};
    }
}
