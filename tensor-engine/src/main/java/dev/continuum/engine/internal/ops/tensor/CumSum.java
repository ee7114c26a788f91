package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX CumSum along the axis given by input 1, optionally {@code exclusive} and/or {@code reverse}. */
final class CumSum implements Kernel {
    private final boolean exclusive;
    private final boolean reverse;

    CumSum(Node node) {
        this.exclusive = node.attributes().getInt("exclusive", 0) != 0;
        this.reverse = node.attributes().getInt("reverse", 0) != 0;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        long[] axisValue = Shapes.toLongs(inputs[1], "input 'axis'");
        if (axisValue.length != 1) {
            throw new IllegalArgumentException("input 'axis' has " + axisValue.length + " values, expected 1");
        }
        int[] in = x.dims();
        int a = Shapes.axis(axisValue[0], in.length, "input 'axis'");
        int outer = Shapes.product(in, 0, a);
        int dim = in[a];
        int inner = Shapes.product(in, a + 1, in.length);
        DataType type = x.dataType();
        if (type == DataType.INT64 || type == DataType.INT32) {
            long[] v = Shapes.toLongs(x, "input 'x'");
            long[] r = new long[v.length];
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    long acc = 0;
                    for (int j = 0; j < dim; j++) {
                        int i = o * dim * inner + (reverse ? dim - 1 - j : j) * inner + k;
                        acc += exclusive ? 0 : v[i];
                        r[i] = acc;
                        acc += exclusive ? v[i] : 0;
                    }
                }
            }
            return new Tensor[] {Tensor.of(type, x.shape(), type == DataType.INT64 ? r : toInts(r))};
        }
        if (!type.isFloatingPoint()) {
            throw new UnsupportedOperationException("CumSum does not support " + type + " input");
        }
        double[] v = Gathers.toDoubles(x);
        double[] r = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < inner; k++) {
                double acc = 0;
                for (int j = 0; j < dim; j++) {
                    int i = o * dim * inner + (reverse ? dim - 1 - j : j) * inner + k;
                    acc += exclusive ? 0 : v[i];
                    r[i] = acc;
                    acc += exclusive ? v[i] : 0;
                }
            }
        }
        return new Tensor[] {Tensor.of(type, x.shape(), Gathers.fromDoubles(type, r))};
    }

    private static int[] toInts(long[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        return new ValueType[] {new ValueType(in.type(), Gathers.copyOrNull(in.shape()))};
    }
}
