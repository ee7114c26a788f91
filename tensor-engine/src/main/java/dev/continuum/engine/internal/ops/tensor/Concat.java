package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Concat along {@code axis} (negative since 11); all inputs share every other dim and the type. */
final class Concat implements Kernel {
    private final long axis;

    Concat(Node node) {
        this.axis = node.attributes().requiredInt("axis");
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor first = inputs[0];
        int rank = first.rank();
        int a = Shapes.axis(axis, rank, "attribute 'axis'");
        int[] out = first.shape();
        out[a] = 0;
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            checkCompatible(first, t, k, a);
            out[a] += t.dims()[a];
        }
        int outer = Shapes.product(out, 0, a);
        int inner = Shapes.product(out, a + 1, rank);
        Object dst = Copies.alloc(ctx, first.dataType(), Shapes.size(out));
        int outBlock = out[a] * inner;
        int offset = 0;
        for (Tensor t : inputs) {
            int block = t.dims()[a] * inner;
            if (block > 0) {
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(t.data(), o * block, dst, o * outBlock + offset, block);
                }
            }
            offset += block;
        }
        return new Tensor[] {Tensor.of(first.dataType(), out, dst)};
    }

    private static void checkCompatible(Tensor first, Tensor t, int k, int a) {
        if (t.dataType() != first.dataType()) {
            throw new IllegalArgumentException("input " + k + " is " + t.dataType() + ", expected " + first.dataType());
        }
        if (t.rank() != first.rank()) {
            throw new IllegalArgumentException("input " + k + " has shape " + Shapes.str(t.dims())
                    + ", expected rank " + first.rank());
        }
        for (int d = 0; d < t.rank(); d++) {
            if (d != a && t.dims()[d] != first.dims()[d]) {
                throw new IllegalArgumentException("input " + k + " has shape " + Shapes.str(t.dims()) + ", expected "
                        + Shapes.str(first.dims()) + " except on axis " + a);
            }
        }
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        int[] out = null;
        for (int k = 0; k < ctx.inputCount(); k++) {
            ValueType t = ctx.input(k);
            if (t.shape() != null) {
                out = t.shape().clone();
                break;
            }
        }
        ValueType firstType = ctx.input(0);
        if (out == null) {
            return new ValueType[] {new ValueType(firstType.type(), null)};
        }
        int a = Shapes.axis(axis, out.length, "attribute 'axis'");
        long sum = 0;
        for (int k = 0; k < ctx.inputCount(); k++) {
            int[] s = ctx.input(k).shape();
            if (s == null || s[a] < 0) {
                sum = -1;
                break;
            }
            sum += s[a];
        }
        out[a] = (int) sum;
        return new ValueType[] {new ValueType(firstType.type(), out)};
    }
}
