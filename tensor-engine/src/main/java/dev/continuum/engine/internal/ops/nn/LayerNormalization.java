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

/**
 * ONNX LayerNormalization (opset 17): X normalised over dims {@code [axis, rank)}, then
 * {@code * Scale + B} (both broadcast to those dims). Optional outputs Mean and InvStdDev have X's
 * shape with the normalised dims set to 1 and the {@code stash_type} element type.
 */
final class LayerNormalization implements Kernel {
    private final long axis;
    private final float epsilon;
    private final DataType stashType;
    /** The float Scale and B of the last run (a model's are constants): reused while they are the same. */
    private volatile FloatParams floatParams;

    /** A float input's dims and a copy of its values, to tell whether a later run's is the same. */
    private record Source(int[] dims, float[] values) {
        /** t's source, or null when t is absent or not float (then nothing made from it is reused). */
        static Source of(Tensor t) {
            return t != null && t.dataType() == DataType.FLOAT ? new Source(t.dims().clone(), t.floatData().clone())
                    : null;
        }

        static boolean matches(Source s, Tensor t) {
            return t == null ? s == null : s != null && t.dataType() == DataType.FLOAT
                    && Arrays.equals(s.dims, t.dims()) && Arrays.equals(s.values, t.floatData());
        }
    }

    /**
     * Scale and B broadcast to the normalised dims, in float, with what they were made from: a run
     * reuses them only when its Scale and B hold the same dims and values (a comparison of a row's
     * length, where broadcasting and converting them allocated per run).
     */
    private record FloatParams(Source scaleSource, Source biasSource, int[] normShape, float[] scale, float[] bias) {
        static FloatParams of(Tensor scale, Tensor bias, int[] normShape) {
            return new FloatParams(Source.of(scale), Source.of(bias), normShape,
                    toFloats(params(scale, normShape, "Scale", 1)), toFloats(params(bias, normShape, "B", 0)));
        }

        boolean isFor(Tensor scale, Tensor bias, int[] normShape) {
            return Arrays.equals(this.normShape, normShape) && Source.matches(scaleSource, scale)
                    && Source.matches(biasSource, bias);
        }
    }

    LayerNormalization(Node node) {
        axis = node.attributes().getInt("axis", -1);
        epsilon = node.attributes().getFloat("epsilon", 1e-5f);
        long stash = node.attributes().getInt("stash_type", 1);
        if (stash == 1) {
            stashType = DataType.FLOAT;
        } else if (stash == 11) {
            stashType = DataType.DOUBLE;
        } else {
            throw new UnsupportedOperationException("LayerNormalization does not support stash_type " + stash);
        }
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        int[] s = x.dims();
        int a = Shapes.axis(axis, s.length, "attribute 'axis'");
        int rows = Shapes.product(s, 0, a);
        int len = Shapes.product(s, a, s.length);
        int[] normShape = Arrays.copyOfRange(s, a, s.length);
        Tensor scaleTensor = in[1];
        Tensor biasTensor = in.length > 2 ? in[2] : null;
        int[] statShape = s.clone();
        Arrays.fill(statShape, a, s.length, 1);
        if (x.dataType() == DataType.FLOAT) {
            FloatParams p = floatParams;
            if (p == null || !p.isFor(scaleTensor, biasTensor, normShape)) {
                p = FloatParams.of(scaleTensor, biasTensor, normShape);
                floatParams = p;
            }
            return computeFloat(ctx, x, rows, len, p.scale(), p.bias(), statShape);
        }
        if (x.dataType() != DataType.DOUBLE) {
            throw new UnsupportedOperationException("LayerNormalization does not support " + x.dataType() + " input");
        }
        double[] xd = x.doubleData();
        double[] scale = params(scaleTensor, normShape, "Scale", 1);
        double[] bias = params(biasTensor, normShape, "B", 0);
        double[] y = new double[x.size()];
        double[] mean = new double[rows];
        double[] invStd = new double[rows];
        ctx.parallelForWork(rows, 4L * len, (from, to) -> {
            double[] mv = new double[2]; // {mean, variance}
            for (int r = from; r < to; r++) {
                int off = r * len;
                Norms.moments(xd, off, len, mv);
                mean[r] = mv[0];
                invStd[r] = 1.0 / Math.sqrt(mv[1] + epsilon);
                for (int i = 0; i < len; i++) {
                    y[off + i] = (xd[off + i] - mean[r]) * invStd[r] * scale[i] + bias[i];
                }
            }
        });
        return new Tensor[] {Tensor.of(DataType.DOUBLE, s, y), stat(mean, statShape), stat(invStd, statShape)};
    }

    /** Float X: float moments and the affine step on {@link NnLoops}; the output from the arena. */
    private Tensor[] computeFloat(ExecContext ctx, Tensor x, int rows, int len, float[] scale, float[] bias,
                                  int[] statShape) {
        float[] xs = x.floatData();
        float[] y = ctx.floats(xs.length);
        float[] mean = new float[rows];
        float[] invStd = new float[rows];
        NnLoops loops = NnLoops.get();
        ctx.parallelForWork(rows, 4L * len, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * len;
                float mu = loops.sum(xs, off, len) / len;
                float var = loops.sumSquaredDiff(xs, off, len, mu) / len;
                mean[r] = mu;
                invStd[r] = (float) (1.0 / Math.sqrt(var + epsilon));
                loops.normalise(xs, y, off, len, mu, invStd[r], scale, bias);
            }
        });
        return new Tensor[] {Tensor.of(DataType.FLOAT, x.dims(), y), stat(mean, statShape), stat(invStd, statShape)};
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** A parameter broadcast to the normalised dims, as doubles; {@code fill} everywhere when absent. */
    private static double[] params(Tensor t, int[] normShape, String name, double fill) {
        int len = Shapes.size(normShape);
        double[] r = new double[len];
        if (t == null) {
            Arrays.fill(r, fill);
            return r;
        }
        if (!Arrays.equals(Shapes.broadcast(t.dims(), normShape), normShape)) {
            throw new IllegalArgumentException("input " + name + " " + Shapes.str(t.dims())
                    + " does not broadcast to the normalised dims " + Shapes.str(normShape));
        }
        int[] index = Shapes.broadcastIndex(t.dims(), normShape);
        for (int i = 0; i < len; i++) {
            r[i] = t.getDouble(index[i]);
        }
        return r;
    }

    /** A statistic in the stash type. */
    private Tensor stat(double[] v, int[] shape) {
        return stashType == DataType.DOUBLE ? Tensor.of(DataType.DOUBLE, shape, v)
                : Tensor.of(DataType.FLOAT, shape, toFloats(v));
    }

    /** A statistic of float X in the stash type. */
    private Tensor stat(float[] v, int[] shape) {
        if (stashType == DataType.FLOAT) {
            return Tensor.of(DataType.FLOAT, shape, v);
        }
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return Tensor.of(DataType.DOUBLE, shape, d);
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        int[] stat = null;
        if (x.hasRank()) {
            int a = Shapes.axis(axis, x.rank(), "attribute 'axis'");
            stat = x.shape().clone();
            Arrays.fill(stat, a, stat.length, 1);
        }
        return new ValueType[] {x, new ValueType(stashType, stat), new ValueType(stashType, stat)};
    }
}
