package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX ArgMax: int64 index of the greatest value along {@code axis}; the first one on ties, or the
 * last with {@code select_last_index} (since 12).
 */
final class ArgMax implements Kernel {
    private final long axis;
    private final boolean keepDims;
    private final boolean selectLast;

    ArgMax(Node node) {
        this.axis = node.attributes().getInt("axis", 0);
        this.keepDims = node.attributes().getInt("keepdims", 1) != 0;
        this.selectLast = node.attributes().getInt("select_last_index", 0) != 0;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        int a = Shapes.axis(axis, in.length, "attribute 'axis'");
        int outer = Shapes.product(in, 0, a);
        int dim = in[a];
        int inner = Shapes.product(in, a + 1, in.length);
        if (dim == 0 && outer * inner > 0) {
            throw new IllegalArgumentException("cannot take ArgMax over empty axis " + a + " of shape " + Shapes.str(in));
        }
        long[] out = new long[outer * inner];
        if (x.dataType() == DataType.INT64) {
            argmax(x.longData(), outer, dim, inner, out);
        } else if (x.dataType() == DataType.BOOL || x.dataType() == DataType.UINT64) {
            throw new UnsupportedOperationException("ArgMax does not support " + x.dataType() + " input");
        } else {
            argmax(Gathers.toDoubles(x), outer, dim, inner, out);
        }
        return new Tensor[] {Tensor.ofLongs(outShape(in, a), out)};
    }

    private void argmax(double[] v, int outer, int dim, int inner, long[] out) {
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < inner; k++) {
                int base = o * dim * inner + k;
                int best = 0;
                double bestValue = v[base];
                for (int j = 1; j < dim; j++) {
                    double c = v[base + j * inner];
                    if (c > bestValue || selectLast && c == bestValue) {
                        best = j;
                        bestValue = c;
                    }
                }
                out[o * inner + k] = best;
            }
        }
    }

    private void argmax(long[] v, int outer, int dim, int inner, long[] out) {
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < inner; k++) {
                int base = o * dim * inner + k;
                int best = 0;
                long bestValue = v[base];
                for (int j = 1; j < dim; j++) {
                    long c = v[base + j * inner];
                    if (c > bestValue || selectLast && c == bestValue) {
                        best = j;
                        bestValue = c;
                    }
                }
                out[o * inner + k] = best;
            }
        }
    }

    private int[] outShape(int[] in, int a) {
        if (keepDims) {
            int[] s = in.clone();
            s[a] = 1;
            return s;
        }
        int[] s = new int[in.length - 1];
        System.arraycopy(in, 0, s, 0, a);
        System.arraycopy(in, a + 1, s, a, in.length - a - 1);
        return s;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        if (in.shape() == null) {
            return new ValueType[] {new ValueType(DataType.INT64, null)};
        }
        return new ValueType[] {new ValueType(DataType.INT64,
                outShape(in.shape(), Shapes.axis(axis, in.rank(), "attribute 'axis'")))};
    }
}
