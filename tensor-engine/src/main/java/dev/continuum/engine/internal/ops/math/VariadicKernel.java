package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** Sum, Min and Max: a binary function folded over one or more broadcast inputs, left to right. */
final class VariadicKernel implements Kernel {
    private final String op;
    private final BinaryFn fn;

    VariadicKernel(String op, BinaryFn fn) {
        this.op = op;
        this.fn = fn;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new IllegalArgumentException(op + " needs at least one input");
        }
        Tensor acc = inputs[0];
        Elementwise.requireNumeric(op, acc.dataType());
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(op + " input " + i + " is missing");
            }
            Tensor next = Elementwise.binary(ctx, op, fn, acc, inputs[i]);
            if (acc != inputs[0]) {
                ctx.recycle(acc.data());
            }
            acc = next;
        }
        return new Tensor[] {acc};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferBroadcast(ctx, ctx.input(0).type());
    }
}
