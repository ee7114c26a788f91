package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX InstanceNormalization: each (n, c) plane normalised by its own mean and variance, then scale and B per channel. */
final class InstanceNormalization implements Kernel {
    private final float epsilon;

    InstanceNormalization(Node node) {
        epsilon = node.attributes().getFloat("epsilon", 1e-5f);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.rank() < 2) {
            throw new IllegalArgumentException("input X must have rank >= 2 (N, C, ...), got " + Shapes.str(x.dims()));
        }
        int c = x.dim(1);
        int planes = x.dim(0) * c;
        int len = Shapes.product(x.dims(), 2, x.rank());
        if (in[1].size() != c || in[2].size() != c) {
            throw new IllegalArgumentException("inputs scale and B must have C = " + c + " elements, got "
                    + in[1].size() + " and " + in[2].size());
        }
        boolean isFloat = x.dataType() == DataType.FLOAT;
        if (!isFloat && x.dataType() != DataType.DOUBLE) {
            throw new UnsupportedOperationException("InstanceNormalization does not support " + x.dataType() + " input");
        }
        Object y = Tensor.newArray(x.dataType(), x.size());
        ctx.parallelForWork(planes, 4L * len, (from, to) -> {
            double[] mv = new double[2]; // {mean, variance}
            for (int p = from; p < to; p++) {
                int off = p * len;
                if (isFloat) {
                    Norms.moments(x.floatData(), off, len, mv);
                } else {
                    Norms.moments(x.doubleData(), off, len, mv);
                }
                double mean = mv[0];
                double var = mv[1];
                double mul = in[1].getDouble(p % c) / Math.sqrt(var + epsilon);
                double add = in[2].getDouble(p % c) - mean * mul;
                if (isFloat) {
                    Norms.affine(x.floatData(), (float[]) y, off, len, mul, add);
                } else {
                    Norms.affine(x.doubleData(), (double[]) y, off, len, mul, add);
                }
            }
        });
        return new Tensor[] {Tensor.of(x.dataType(), x.shape(), y)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {ctx.input(0)};
    }
}
