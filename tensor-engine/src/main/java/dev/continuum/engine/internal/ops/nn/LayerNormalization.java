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

    /**
     * Scale and B broadcast to the normalised dims, in float, with copies of the tensors they came
     * from: a run reuses them only when its Scale and B hold the same dims and values (a comparison of
     * a row's length, where broadcasting and converting them allocated per run).
     */
    private record FloatParams(float[] scaleSource, int[] scaleDims, float[] biasSource, int[] biasDims,
                               int[] normShape, float[] scale, float[] bias) {
        boolean isFor(Tensor scaleTensor, Tensor biasTensor, int[] normShape) {
            return Arrays.equals(this.normShape, normShape) && same(scaleSource, scaleDims, scaleTensor)
                    && same(biasSource, biasDims, biasTensor);
        }

        private static boolean same(float[] source, int[] dims, Tensor t) {
            if (t == null) {
                return source == null && dims == null;
            }
            return source != null && t.dataType() == DataType.FLOAT && Arrays.equals(dims, t.dims())
                    && Arrays.equals(source, t.floatData());
        }

        /** The float data of t to compare later runs' with, or null (absent, or not float: never reused). */
        static float[] sourceOf(Tensor t) {
            return t != null && t.dataType() == DataType.FLOAT ? t.floatData().clone() : null;
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
        boolean isFloat = x.dataType() == DataType.FLOAT;
        if (!isFloat && x.dataType() != DataType.DOUBLE) {
            throw new UnsupportedOperationException("LayerNormalization does not support " + x.dataType() + " input");
        }
        Tensor scaleTensor = in[1];
        Tensor biasTensor = in.length > 2 ? in[2] : null;
        if (isFloat) {
            FloatParams p = floatParams;
            if (p == null || !p.isFor(scaleTensor, biasTensor, normShape)) {
                double[] scale = params(scaleTensor, normShape, "Scale", 1);
                double[] bias = params(biasTensor, normShape, "B", 0);
                float[] fs = new float[len];
                float[] fb = new float[len];
                for (int i = 0; i < len; i++) {
                    fs[i] = (float) scale[i];
                    fb[i] = (float) bias[i];
                }
                p = new FloatParams(FloatParams.sourceOf(scaleTensor), scaleTensor == null ? null : scaleTensor.dims().clone(),
                        FloatParams.sourceOf(biasTensor), biasTensor == null ? null : biasTensor.dims().clone(),
                        normShape, fs, fb);
                floatParams = p;
            }
            return computeFloat(ctx, x, a, rows, len, p.scale(), p.bias());
        }
        double[] scale = params(scaleTensor, normShape, "Scale", 1);
        double[] bias = params(biasTensor, normShape, "B", 0);
        Object y = Tensor.newArray(x.dataType(), x.size());
        double[] mean = new double[rows];
        double[] invStd = new double[rows];
        ctx.parallelForWork(rows, 4L * len, (from, to) -> {
            double[] mv = new double[2]; // {mean, variance}
            for (int r = from; r < to; r++) {
                int off = r * len;
                if (isFloat) {
                    Norms.moments(x.floatData(), off, len, mv);
                } else {
                    Norms.moments(x.doubleData(), off, len, mv);
                }
                mean[r] = mv[0];
                invStd[r] = 1.0 / Math.sqrt(mv[1] + epsilon);
                normalise(isFloat ? x.floatData() : x.doubleData(), y, off, len, mv[0], invStd[r], scale, bias);
            }
        });
        int[] statShape = s.clone();
        Arrays.fill(statShape, a, s.length, 1);
        return new Tensor[] {Tensor.of(x.dataType(), x.shape(), y), stat(mean, statShape), stat(invStd, statShape)};
    }

    /**
     * Float X: float moments and the affine step on {@link NnLoops}; the output from the arena, Scale
     * and B converted once while they stay the same (in a model, once).
     */
    private Tensor[] computeFloat(ExecContext ctx, Tensor x, int a, int rows, int len, float[] scale, float[] bias) {
        float[] xs = x.floatData();
        float[] y = ctx.floats(xs.length);
        boolean floatStats = stashType == DataType.FLOAT;
        // the statistics outputs in the stash type, written as they are computed
        float[] meanF = floatStats ? new float[rows] : null;
        float[] invStdF = floatStats ? new float[rows] : null;
        double[] mean = floatStats ? null : new double[rows];
        double[] invStd = floatStats ? null : new double[rows];
        NnLoops loops = NnLoops.get();
        ctx.parallelForWork(rows, 4L * len, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * len;
                float mu = loops.sum(xs, off, len) / len;
                float var = loops.sumSquaredDiff(xs, off, len, mu) / len;
                float inv = (float) (1.0 / Math.sqrt(var + epsilon));
                if (floatStats) {
                    meanF[r] = mu;
                    invStdF[r] = inv;
                } else {
                    mean[r] = mu;
                    invStd[r] = inv;
                }
                loops.normalise(xs, y, off, len, mu, inv, scale, bias);
            }
        });
        int[] statShape = x.dims().clone();
        Arrays.fill(statShape, a, statShape.length, 1);
        Tensor out = Tensor.of(DataType.FLOAT, x.dims(), y);
        if (floatStats) {
            return new Tensor[] {out, Tensor.of(DataType.FLOAT, statShape, meanF),
                Tensor.of(DataType.FLOAT, statShape, invStdF)};
        }
        return new Tensor[] {out, stat(mean, statShape), stat(invStd, statShape)};
    }

    private static void normalise(Object x, Object y, int off, int len, double mean, double invStd,
                                  double[] scale, double[] bias) {
        if (x instanceof float[] xf) {
            float[] yf = (float[]) y;
            for (int i = 0; i < len; i++) {
                yf[off + i] = (float) ((xf[off + i] - mean) * invStd * scale[i] + bias[i]);
            }
        } else {
            double[] xd = (double[]) x;
            double[] yd = (double[]) y;
            for (int i = 0; i < len; i++) {
                yd[off + i] = (xd[off + i] - mean) * invStd * scale[i] + bias[i];
            }
        }
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

    private Tensor stat(double[] v, int[] shape) {
        if (stashType == DataType.DOUBLE) {
            return Tensor.of(DataType.DOUBLE, shape, v.clone());
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(DataType.FLOAT, shape, f);
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
