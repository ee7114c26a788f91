package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/** ONNX GlobalAveragePool and GlobalMaxPool: (N, C, D1, ...) to (N, C, 1, ...), one value per plane. */
final class GlobalPool implements Kernel {
    private final boolean max;

    private GlobalPool(boolean max) {
        this.max = max;
    }

    static GlobalPool average(Node node) {
        return new GlobalPool(false);
    }

    static GlobalPool max(Node node) {
        return new GlobalPool(true);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.rank() < 2) {
            throw new IllegalArgumentException("input X must have rank >= 2 (N, C, ...), got " + Shapes.str(x.dims()));
        }
        int planes = x.dim(0) * x.dim(1);
        int len = Shapes.product(x.dims(), 2, x.rank());
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new UnsupportedOperationException((max ? "GlobalMaxPool" : "GlobalAveragePool")
                    + " does not support " + t + " input");
        }
        if (t == DataType.FLOAT && !max) {
            float[] xs = x.floatData();
            float[] f = ctx.floats(planes);
            NnLoops loops = NnLoops.get();
            for (int p = 0; p < planes; p++) {
                f[p] = loops.sum(xs, p * len, len) / len;
            }
            return new Tensor[] {Tensor.of(DataType.FLOAT, outShape(x.dims()), f)};
        }
        float[] xf = t == DataType.FLOAT ? x.floatData() : null;
        double[] xd = t == DataType.DOUBLE ? x.doubleData() : null;
        double[] r = new double[planes];
        for (int p = 0; p < planes; p++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int i = p * len, end = i + len; i < end; i++) {
                double v = xf != null ? xf[i] : xd[i];
                acc = max ? Math.max(acc, v) : acc + v;
            }
            r[p] = max ? acc : acc / len;
        }
        int[] shape = outShape(x.dims());
        if (t == DataType.DOUBLE) {
            return new Tensor[] {Tensor.of(DataType.DOUBLE, shape, r)};
        }
        float[] f = new float[planes];
        for (int i = 0; i < planes; i++) {
            f[i] = (float) r[i];
        }
        return new Tensor[] {Tensor.of(DataType.FLOAT, shape, f)};
    }

    private static int[] outShape(int[] x) {
        int[] s = x.clone();
        Arrays.fill(s, 2, s.length, 1);
        return s;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        return new ValueType[] {new ValueType(x.type(), x.shape() == null ? null : outShape(x.shape()))};
    }
}
