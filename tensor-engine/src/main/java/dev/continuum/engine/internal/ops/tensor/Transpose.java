package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Transpose: output axis {@code i} is input axis {@code perm[i]} (default: reversed axes). */
final class Transpose implements Kernel {
    private final int[] perm; // null: reverse

    Transpose(Node node) {
        this.perm = node.attributes().getIntArray("perm", null);
    }

    private int[] permFor(int rank) {
        if (perm == null) {
            int[] p = new int[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }
        if (perm.length != rank) {
            throw new IllegalArgumentException("attribute 'perm' has " + perm.length + " entries, input has rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shapes.axis(perm[i], rank, "attribute 'perm' value");
            if (seen[p[i]]) {
                throw new IllegalArgumentException("attribute 'perm' " + Shapes.str(perm) + " is not a permutation");
            }
            seen[p[i]] = true;
        }
        return p;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        int[] p = permFor(in.length);
        int[] inStrides = Shapes.strides(in);
        int[] out = new int[in.length];
        int[] strides = new int[in.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = in[p[i]];
            strides[i] = inStrides[p[i]];
        }
        if (keepsOrder(in, p)) {
            return new Tensor[] {Tensor.of(x.dataType(), out, x.data())};
        }
        Object dst = Copies.alloc(ctx, x.dataType(), x.size());
        Copies.strided(x.data(), 0, out, strides, dst, 0);
        return new Tensor[] {Tensor.of(x.dataType(), out, dst)};
    }

    /** True when the non-unit axes stay in order: the output is the input's data seen with another shape. */
    static boolean keepsOrder(int[] in, int[] p) {
        int last = -1;
        for (int a : p) {
            if (in[a] != 1) {
                if (a < last) {
                    return false;
                }
                last = a;
            }
        }
        return true;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        if (in.shape() == null) {
            return new ValueType[] {new ValueType(in.type(), perm == null ? null : Reshape.unknownDims(perm.length))};
        }
        int[] p = permFor(in.rank());
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = in.shape()[p[i]];
        }
        return new ValueType[] {new ValueType(in.type(), out)};
    }
}
