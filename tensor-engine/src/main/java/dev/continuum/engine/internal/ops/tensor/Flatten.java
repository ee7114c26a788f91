package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Flatten: {@code [d0..dn]} to {@code [d0*..*d(axis-1), d(axis)*..*dn]}; axis in {@code [-r, r]}. */
final class Flatten implements Kernel {
    private final long axis;

    Flatten(Node node) {
        this.axis = node.attributes().getInt("axis", 1);
    }

    private int axisFor(int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw new IllegalArgumentException("attribute 'axis' " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        int[] s = inputs[0].dims();
        int a = axisFor(s.length);
        return new Tensor[] {inputs[0].reshape(Shapes.product(s, 0, a), Shapes.product(s, a, s.length))};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        if (in.shape() == null) {
            return new ValueType[] {ValueType.of(in.type(), -1, -1)};
        }
        int[] s = in.shape();
        int a = axisFor(s.length);
        return new ValueType[] {ValueType.of(in.type(), partialProduct(s, 0, a), partialProduct(s, a, s.length))};
    }

    /** Product of dims in {@code [from, to)}, or -1 when one of them is unknown. */
    static int partialProduct(int[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            if (s[i] < 0) {
                return -1;
            }
            p *= s[i];
        }
        return (int) p;
    }
}
