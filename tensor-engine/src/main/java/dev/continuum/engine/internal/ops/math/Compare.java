package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** Equal, Less and Greater: a broadcast comparison of two same-typed inputs into a bool tensor. */
final class Compare implements Kernel {
    enum Kind { EQUAL, LESS, GREATER }

    private final String op;
    private final Kind kind;

    Compare(String op, Kind kind) {
        this.op = op;
        this.kind = kind;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        DataType type = Elementwise.sameType(op, inputs[0], inputs[1]);
        if (type == DataType.BOOL && kind != Kind.EQUAL) {
            throw new UnsupportedOperationException(op + " does not support bool input");
        }
        Broadcast bc = Broadcast.of(inputs[0].dims(), inputs[1].dims());
        byte[] r = new byte[bc.size()];
        Object a = Lanes.wide(inputs[0]);
        Object b = Lanes.wide(inputs[1]);
        int sa = bc.step(0);
        int sb = bc.step(1);
        switch (Lane.of(type)) {
            case FLOAT -> {
                float[] x = (float[]) a;
                float[] y = (float[]) b;
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        r[o + k] = test(Float.compare(x[i], y[j]), x[i] != x[i] || y[j] != y[j], x[i] == y[j]);
                    }
                });
            }
            case DOUBLE -> {
                double[] x = (double[]) a;
                double[] y = (double[]) b;
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        r[o + k] = test(Double.compare(x[i], y[j]), x[i] != x[i] || y[j] != y[j], x[i] == y[j]);
                    }
                });
            }
            default -> {
                long[] x = (long[]) a;
                long[] y = (long[]) b;
                boolean unsigned = type == DataType.UINT64;
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        int c = unsigned ? Long.compareUnsigned(x[i], y[j]) : Long.compare(x[i], y[j]);
                        r[o + k] = test(c, false, c == 0);
                    }
                });
            }
        }
        return new Tensor[] {Tensor.of(DataType.BOOL, bc.shape(), r)};
    }

    /** IEEE semantics: any comparison with NaN is false; -0 equals +0. */
    private byte test(int cmp, boolean nan, boolean equal) {
        boolean v = switch (kind) {
            case EQUAL -> equal;
            case LESS -> !nan && cmp < 0 && !equal;
            case GREATER -> !nan && cmp > 0 && !equal;
        };
        return v ? (byte) 1 : 0;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferBroadcast(ctx, DataType.BOOL);
    }
}
