package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Softmax and LogSoftmax. From opset 13 the normalisation runs along one axis (default -1);
 * before 13 the input is coerced to 2-D at {@code axis} (default 1) and each row of
 * {@code prod(dims[axis:])} elements is normalised.
 */
final class Softmax implements Kernel {
    private final boolean log;
    private final boolean coerce2d;
    private final long axis;
    private final String op;

    private Softmax(Node node, boolean log, boolean coerce2d) {
        this.log = log;
        this.coerce2d = coerce2d;
        this.axis = node.attributes().getInt("axis", coerce2d ? 1 : -1);
        this.op = node.opType();
    }

    static Softmax softmax13(Node n) {
        return new Softmax(n, false, false);
    }

    static Softmax softmax1(Node n) {
        return new Softmax(n, false, true);
    }

    static Softmax logSoftmax13(Node n) {
        return new Softmax(n, true, false);
    }

    static Softmax logSoftmax1(Node n) {
        return new Softmax(n, true, true);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        int[] s = x.dims();
        int outer;
        int len;
        int inner;
        if (coerce2d) {
            long a = axis < 0 ? axis + s.length : axis;
            if (a < 0 || a > s.length) {
                throw new IllegalArgumentException("attribute 'axis' " + axis + " is out of range for rank " + s.length);
            }
            outer = Shapes.product(s, 0, (int) a);
            len = Shapes.product(s, (int) a, s.length);
            inner = 1;
        } else {
            int a = Shapes.axis(axis, s.length, "attribute 'axis'");
            outer = Shapes.product(s, 0, a);
            len = s[a];
            inner = Shapes.product(s, a + 1, s.length);
        }
        switch (x.dataType()) {
            case FLOAT: {
                if (inner == 1 && len > 0) {
                    return new Tensor[] {Tensor.of(DataType.FLOAT, x.shape(), lastAxis(ctx, outer, len, x.floatData()))};
                }
                float[] y = new float[x.size()];
                run(ctx, outer, len, inner, x.floatData(), y, null, null);
                return new Tensor[] {Tensor.of(DataType.FLOAT, x.shape(), y)};
            }
            case DOUBLE: {
                double[] y = new double[x.size()];
                run(ctx, outer, len, inner, null, null, x.doubleData(), y);
                return new Tensor[] {Tensor.of(DataType.DOUBLE, x.shape(), y)};
            }
            default:
                throw new UnsupportedOperationException(op + " does not support " + x.dataType() + " input");
        }
    }

    /** Rows of {@code len} contiguous elements: max, exp and sum, scale (or subtract) on {@link NnLoops}. */
    private float[] lastAxis(ExecContext ctx, int rows, int len, float[] x) {
        float[] y = ctx.floats(rows * len);
        NnLoops loops = NnLoops.get();
        ctx.parallelForWork(rows, 4L * len, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * len;
                float max = loops.max(x, off, len);
                if (max == Float.POSITIVE_INFINITY || Float.isNaN(max)) {
                    scalarRow(x, y, off, len); // inf - inf: keep the reference's NaN handling
                    continue;
                }
                float sum = loops.expShift(x, y, off, len, max);
                if (log) {
                    loops.subtract(x, y, off, len, (float) (max + Math.log(sum)));
                } else {
                    loops.scale(y, off, len, 1f / sum);
                }
            }
        });
        return y;
    }

    private void scalarRow(float[] x, float[] y, int off, int len) {
        double[] buf = new double[len];
        for (int i = 0; i < len; i++) {
            buf[i] = x[off + i];
        }
        normalise(buf);
        for (int i = 0; i < len; i++) {
            y[off + i] = (float) buf[i];
        }
    }

    private void run(ExecContext ctx, int outer, int len, int inner, float[] xf, float[] yf, double[] xd, double[] yd) {
        int rows = outer * inner;
        ctx.parallelForWork(rows, 4L * len, (from, to) -> {
            double[] buf = new double[len];
            for (int r = from; r < to; r++) {
                int base = (r / inner) * len * inner + r % inner;
                for (int i = 0; i < len; i++) {
                    buf[i] = xf != null ? xf[base + i * inner] : xd[base + i * inner];
                }
                normalise(buf);
                for (int i = 0; i < len; i++) {
                    if (yf != null) {
                        yf[base + i * inner] = (float) buf[i];
                    } else {
                        yd[base + i * inner] = buf[i];
                    }
                }
            }
        });
    }

    /** Replaces v by softmax(v) or log-softmax(v), subtracting the max first for stability. */
    private void normalise(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            max = Math.max(max, d);
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            double e = Math.exp(v[i] - max);
            sum += e;
            if (!log) {
                v[i] = e;
            }
        }
        if (log) {
            double logSum = Math.log(sum);
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] - max - logSum;
            }
        } else {
            double inv = 1.0 / sum;
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {ctx.input(0)};
    }
}
