package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** Where(condition, X, Y): X where the condition holds, else Y, all three broadcast. */
final class Where implements Kernel {

    static Kernel create(Node n) {
        return new Where();
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor cond = inputs[0];
        if (cond.dataType() != DataType.BOOL) {
            throw new IllegalArgumentException("Where condition must be bool, got " + cond.dataType());
        }
        DataType type = Elementwise.sameType("Where", inputs[1], inputs[2]);
        if (type == DataType.FLOAT && java.util.Arrays.equals(cond.dims(), inputs[1].dims())
                && java.util.Arrays.equals(cond.dims(), inputs[2].dims())) {
            int n = cond.size();
            float[] r = ctx.floats(n);
            FloatKernels.get().where(cond.byteData(), 0, inputs[1].floatData(), 0, inputs[2].floatData(), 0, r, 0, n);
            return new Tensor[] {Tensor.of(DataType.FLOAT, cond.dims(), r)};
        }
        Broadcast bc = Broadcast.of(cond.dims(), inputs[1].dims(), inputs[2].dims());
        byte[] c = cond.byteData();
        Lane lane = Lane.of(type);
        Object x = Lanes.wide(inputs[1]);
        Object y = Lanes.wide(inputs[2]);
        Object r = lane == Lane.FLOAT ? ctx.floats(bc.size()) : lane == Lane.LONG ? Elementwise.longs(ctx, bc.size())
                : Lanes.newArray(lane, bc.size());
        int sc = bc.step(0);
        int sx = bc.step(1);
        int sy = bc.step(2);
        switch (lane) {
            case FLOAT -> {
                float[] a = (float[]) x;
                float[] b = (float[]) y;
                float[] out = (float[]) r;
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1], l = offs[2]; k < len; k++, i += sc, j += sx, l += sy) {
                        out[o + k] = c[i] != 0 ? a[j] : b[l];
                    }
                });
            }
            case DOUBLE -> {
                double[] a = (double[]) x;
                double[] b = (double[]) y;
                double[] out = (double[]) r;
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1], l = offs[2]; k < len; k++, i += sc, j += sx, l += sy) {
                        out[o + k] = c[i] != 0 ? a[j] : b[l];
                    }
                });
            }
            case LONG -> {
                long[] a = (long[]) x;
                long[] b = (long[]) y;
                long[] out = (long[]) r;
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1], l = offs[2]; k < len; k++, i += sc, j += sx, l += sy) {
                        out[o + k] = c[i] != 0 ? a[j] : b[l];
                    }
                });
            }
        }
        return new Tensor[] {Elementwise.narrow(ctx, type, bc.shape(), r)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        int[] shape = Shapes.broadcastPartial(ctx.input(0).shape(),
                Shapes.broadcastPartial(ctx.input(1).shape(), ctx.input(2).shape()));
        DataType t = ctx.input(1).type() != null ? ctx.input(1).type() : ctx.input(2).type();
        return new ValueType[] {new ValueType(t, shape)};
    }
}
