package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** The shared loops of the elementwise kernels: broadcasting binary functions and their type rules. */
final class Elementwise {
    /** Elements per parallel task of flat (non-broadcast) loops. */
    static final int GRAIN = (int) ExecContext.MIN_TASK_WORK;

    private Elementwise() {
    }

    /** {@code fn(a, b)} broadcast; both operands must have the same type, which the result keeps. */
    static Tensor binary(ExecContext ctx, String op, BinaryFn fn, Tensor a, Tensor b) {
        DataType type = sameType(op, a, b);
        Broadcast bc = Broadcast.of(a.dims(), b.dims());
        Object out = binary(ctx, fn, Lane.of(type), type == DataType.UINT64, bc, Lanes.wide(a), Lanes.wide(b));
        return narrow(ctx, type, bc.shape(), out);
    }

    /** {@link Lanes#fromLane}, handing the lane array back to the arena when it was only an intermediate. */
    static Tensor narrow(ExecContext ctx, DataType type, int[] shape, Object lane) {
        Tensor t = Lanes.fromLane(type, shape, lane);
        if (t.data() != lane) {
            ctx.recycle(lane);
        }
        return t;
    }

    /** A long array from the arena when there is one; contents undefined. */
    static long[] longs(ExecContext ctx, int n) {
        return ctx.arena() != null ? ctx.arena().longs(n) : new long[n];
    }

    /** {@code fn} over two lane arrays of the same lane, broadcast by {@code bc}; a new lane array. */
    static Object binary(ExecContext ctx, BinaryFn fn, Lane lane, boolean unsigned, Broadcast bc, Object a, Object b) {
        int sa = bc.step(0);
        int sb = bc.step(1);
        switch (lane) {
            case FLOAT: {
                float[] x = (float[]) a;
                float[] y = (float[]) b;
                float[] r = ctx.floats(bc.size());
                bc.forEach(ctx, (o, offs, len) -> {
                    if (FloatRuns.run(fn, x, offs[0], sa, y, offs[1], sb, r, o, len)) {
                        return;
                    }
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        r[o + k] = fn.f(x[i], y[j]);
                    }
                });
                return r;
            }
            case DOUBLE: {
                double[] x = (double[]) a;
                double[] y = (double[]) b;
                double[] r = new double[bc.size()];
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        r[o + k] = fn.d(x[i], y[j]);
                    }
                });
                return r;
            }
            default: {
                long[] x = (long[]) a;
                long[] y = (long[]) b;
                long[] r = longs(ctx, bc.size());
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        r[o + k] = unsigned ? fn.u(x[i], y[j]) : fn.l(x[i], y[j]);
                    }
                });
                return r;
            }
        }
    }

    /** The common type of two operands, or an error naming both. */
    static DataType sameType(String op, Tensor a, Tensor b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(op + " inputs must have the same type, got " + a.dataType() + " and "
                    + b.dataType());
        }
        return a.dataType();
    }

    /** Rejects bool input with an unsupported-type error naming the op. */
    static void requireNumeric(String op, DataType type) {
        if (type == DataType.BOOL) {
            throw new UnsupportedOperationException(op + " does not support bool input");
        }
    }

    static void requireFloat(String op, DataType type) {
        if (!type.isFloatingPoint()) {
            throw new UnsupportedOperationException(op + " does not support " + type + " input");
        }
    }

    /** The broadcast of all given inputs' types; the element type is {@code type}, or the first known one. */
    static ValueType[] inferBroadcast(TypeContext ctx, DataType type) {
        int[] shape = new int[0];
        DataType t = type;
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (!ctx.hasInput(i)) {
                continue;
            }
            ValueType v = ctx.input(i);
            if (t == null) {
                t = v.type();
            }
            shape = Shapes.broadcastPartial(shape, v.shape());
        }
        return new ValueType[] {new ValueType(t, shape)};
    }

    /** Same type and shape as input 0. */
    static ValueType[] inferSame(TypeContext ctx) {
        return new ValueType[] {ctx.input(0)};
    }
}
