package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * Cast (to the type of attribute {@code to}) and CastLike (to the type of input 1), between every
 * supported type. Floats go to integers truncated toward zero and wrapped to the width, integers
 * narrow by keeping their low bits, anything nonzero (also NaN) is true, and 16-bit floats round to
 * nearest even. The {@code saturate} attribute only concerns float8 types, which are unsupported.
 */
final class Cast implements Kernel {
    private final DataType to;  // null for CastLike

    private Cast(DataType to) {
        this.to = to;
    }

    static Kernel create(Node n) {
        long code = n.attributes().has("to") ? n.attributes().requiredInt("to") : -1;
        if (code < 0) {
            throw new IllegalArgumentException("required attribute 'to' is missing");
        }
        try {
            return new Cast(DataType.fromOnnx((int) code));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException("Cast to " + DataType.onnxName((int) code) + " is not supported");
        }
    }

    static Kernel like(Node n) {
        return new Cast(null);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        DataType target = to != null ? to : inputs[1].dataType();
        if (x.dataType() == DataType.FLOAT && target == DataType.INT64) {
            float[] f = x.floatData();
            long[] r = Elementwise.longs(ctx, f.length);
            for (int i = 0; i < f.length; i++) {
                r[i] = (long) f[i];
            }
            return new Tensor[] {Tensor.of(target, x.dims(), r)};
        }
        if (x.dataType() == DataType.INT64 && target == DataType.FLOAT) {
            long[] l = x.longData();
            float[] r = ctx.floats(l.length);
            for (int i = 0; i < l.length; i++) {
                r[i] = l[i];
            }
            return new Tensor[] {Tensor.of(target, x.dims(), r)};
        }
        return new Tensor[] {convert(x, target)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        DataType t = to != null ? to : ctx.input(1).type();
        return new ValueType[] {new ValueType(t, ctx.input(0).shape())};
    }

    /** {@code t} converted to {@code target}; {@code t} itself when it already has that type. */
    static Tensor convert(Tensor t, DataType target) {
        DataType from = t.dataType();
        int[] shape = t.dims();
        if (from == target) {
            return t;
        }
        if (Lane.of(from) == Lane.LONG) {
            return fromLongs(Lanes.longs(t), from == DataType.UINT64, target, shape);
        }
        if (Lane.of(from) == Lane.FLOAT && Lane.of(target) == Lane.FLOAT) {
            return Lanes.fromFloats(target, shape, Lanes.floats(t));
        }
        double[] d = Lanes.doubles(t);
        switch (Lane.of(target)) {
            case DOUBLE:
                return Tensor.of(target, shape, d);
            case FLOAT: {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                return Lanes.fromFloats(target, shape, f);
            }
            default: {
                long[] l = new long[d.length];
                for (int i = 0; i < d.length; i++) {
                    l[i] = target == DataType.BOOL ? (d[i] != 0 ? 1 : 0)
                            : target == DataType.UINT64 ? Lanes.doubleToUnsigned(d[i]) : (long) d[i];
                }
                return Lanes.fromLongs(target, shape, l);
            }
        }
    }

    private static Tensor fromLongs(long[] v, boolean unsigned, DataType target, int[] shape) {
        switch (Lane.of(target)) {
            case LONG:
                return Lanes.fromLongs(target, shape, v);
            case DOUBLE: {
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = unsigned ? Lanes.unsignedToDouble(v[i]) : v[i];
                }
                return Tensor.of(target, shape, d);
            }
            default: {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = unsigned ? (float) Lanes.unsignedToDouble(v[i]) : v[i];
                }
                return Lanes.fromFloats(target, shape, f);
            }
        }
    }
}
