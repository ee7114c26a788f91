package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** Add, Sub, Mul, Div and PRelu: one broadcasting arithmetic function over two same-typed inputs. */
final class BinaryKernel implements Kernel {
    private final String op;
    private final BinaryFn fn;

    BinaryKernel(String op, BinaryFn fn) {
        this.op = op;
        this.fn = fn;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Elementwise.requireNumeric(op, inputs[0].dataType());
        return new Tensor[] {Elementwise.binary(ctx, op, fn, inputs[0], inputs[1])};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferBroadcast(ctx, ctx.input(0).type());
    }
}
