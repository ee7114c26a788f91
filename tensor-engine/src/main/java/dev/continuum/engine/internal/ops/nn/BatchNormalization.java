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
 * ONNX BatchNormalization in inference mode: {@code Y = (X - mean) / sqrt(var + epsilon) * scale + B}
 * with the statistics given as inputs. Parameters are per channel (shape (C)), or per element of
 * (C, D1, ..., Dn) for opset 7's {@code spatial = 0}. Training mode is not supported.
 */
final class BatchNormalization implements Kernel {
    private final float epsilon;

    BatchNormalization(Node node) {
        epsilon = node.attributes().getFloat("epsilon", 1e-5f);
        if (node.attributes().getInt("training_mode", 0) != 0) {
            throw new UnsupportedOperationException("BatchNormalization does not support training_mode=1");
        }
        for (int i = 1; i < node.outputCount(); i++) {
            if (node.hasOutput(i)) {
                throw new UnsupportedOperationException("BatchNormalization does not support training outputs"
                        + " (running or saved mean and variance)");
            }
        }
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.rank() < 2) {
            throw new IllegalArgumentException("input X must have rank >= 2 (N, C, ...), got " + Shapes.str(x.dims()));
        }
        int c = x.dim(1);
        int spatial = Shapes.product(x.dims(), 2, x.rank());
        int per = perChannel(in, c, spatial);
        double[] mul = new double[c * per];
        double[] add = new double[c * per];
        for (int i = 0; i < mul.length; i++) {
            double scale = in[1].getDouble(i);
            double var = in[4].getDouble(i);
            mul[i] = scale / Math.sqrt(var + epsilon);
            add[i] = in[2].getDouble(i) - in[3].getDouble(i) * mul[i];
        }
        int groupLen = per == 1 ? spatial : 1;
        switch (x.dataType()) {
            case FLOAT: {
                float[] xs = x.floatData();
                float[] y = ctx.floats(xs.length);
                NnLoops loops = NnLoops.get();
                for (int blk = 0, i = 0; i < xs.length; blk++, i += groupLen) {
                    int p = blk % mul.length;
                    loops.affine(xs, i, y, i, groupLen, (float) mul[p], (float) add[p]);
                }
                return new Tensor[] {Tensor.of(DataType.FLOAT, x.shape(), y)};
            }
            case DOUBLE: {
                double[] xs = x.doubleData();
                double[] y = new double[xs.length];
                for (int blk = 0, i = 0; i < xs.length; blk++) {
                    int p = blk % mul.length;
                    for (int end = i + groupLen; i < end; i++) {
                        y[i] = (xs[i] * mul[p] + add[p]);
                    }
                }
                return new Tensor[] {Tensor.of(DataType.DOUBLE, x.shape(), y)};
            }
            default:
                throw new UnsupportedOperationException("BatchNormalization does not support " + x.dataType() + " input");
        }
    }

    /** 1 when parameters are per channel, {@code spatial} when per element of (C, D1, ..., Dn). */
    private static int perChannel(Tensor[] in, int c, int spatial) {
        String[] names = {"scale", "B", "input_mean", "input_var"};
        int size = in[1].size();
        if (size != c && size != c * spatial) {
            throw new IllegalArgumentException("input scale has " + size + " elements, expected C = " + c);
        }
        for (int i = 1; i <= 4; i++) {
            if (in[i].size() != size) {
                throw new IllegalArgumentException("input " + names[i - 1] + " has " + in[i].size()
                        + " elements, expected " + size);
            }
        }
        return size == c ? 1 : spatial;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {ctx.input(0)};
    }
}
