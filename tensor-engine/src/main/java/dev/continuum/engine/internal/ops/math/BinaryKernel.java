package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * Add, Sub, Mul, Div and PRelu: one broadcasting arithmetic function over two same-typed inputs.
 * Float32 Add/Sub/Mul/Div take {@link FloatKernels} loops for equal shapes, a scalar operand and a
 * trailing-vector operand (a bias over the last axes); everything else the generic broadcast.
 */
final class BinaryKernel implements Kernel {
    /** Elements per parallel task of the float fast paths. */
    private static final int GRAIN = (int) ExecContext.MIN_TASK_WORK;

    private final String op;
    private final BinaryFn fn;
    private final FloatKernels.Op floatOp;  // null: no fast path

    BinaryKernel(String op, BinaryFn fn) {
        this.op = op;
        this.fn = fn;
        this.floatOp = FloatKernels.Op.of(fn);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor a = inputs[0];
        Tensor b = inputs[1];
        Elementwise.requireNumeric(op, a.dataType());
        if (floatOp != null && a.dataType() == DataType.FLOAT && b.dataType() == DataType.FLOAT) {
            Tensor r = floatFast(ctx, floatOp, a, b);
            if (r != null) {
                return new Tensor[] {r};
            }
        }
        return new Tensor[] {Elementwise.binary(ctx, op, fn, a, b)};
    }

    /** The float32 fast paths, or null when the shapes need the generic broadcast. */
    static Tensor floatFast(ExecContext ctx, FloatKernels.Op op, Tensor a, Tensor b) {
        int[] da = a.dims();
        int[] db = b.dims();
        float[] x = a.floatData();
        float[] y = b.floatData();
        FloatKernels k = FloatKernels.get();
        int n;
        int[] shape;
        float[] r;
        if (java.util.Arrays.equals(da, db)) {
            shape = da;
            n = x.length;
            r = ctx.floats(n);
            parallel(ctx, n, 1, (from, to) -> k.binary(op, x, from, y, from, r, from, to - from));
        } else if (y.length == 1 && db.length <= da.length) {
            shape = da;
            n = x.length;
            r = ctx.floats(n);
            float s = y[0];
            parallel(ctx, n, 1, (from, to) -> k.binaryScalarRight(op, x, from, s, r, from, to - from));
        } else if (x.length == 1 && da.length <= db.length) {
            shape = db;
            n = y.length;
            r = ctx.floats(n);
            float s = x[0];
            parallel(ctx, n, 1, (from, to) -> k.binaryScalarLeft(op, s, y, from, r, from, to - from));
        } else if (isTrailing(db, da) && y.length > 0) {
            shape = da;
            r = repeatedBlock(ctx, k, op, x, y, false);
        } else if (isTrailing(da, db) && x.length > 0) {
            shape = db;
            r = repeatedBlock(ctx, k, op, y, x, true);
        } else {
            return null;
        }
        return Tensor.of(DataType.FLOAT, shape, r);
    }

    /**
     * {@code big op block}, or {@code block op big} when {@code blockLeft}, with {@code block} repeated
     * over each consecutive run of {@code block.length} elements of {@code big}.
     */
    private static float[] repeatedBlock(ExecContext ctx, FloatKernels k, FloatKernels.Op op, float[] big,
                                         float[] block, boolean blockLeft) {
        int m = block.length;
        float[] r = ctx.floats(big.length);
        parallel(ctx, big.length / m, m, (from, to) -> {
            for (int row = from; row < to; row++) {
                if (blockLeft) {
                    k.binary(op, block, 0, big, row * m, r, row * m, m);
                } else {
                    k.binary(op, big, row * m, block, 0, r, row * m, m);
                }
            }
        });
        return r;
    }

    /** Runs {@code body} over {@code [0, items)}, split across threads only when it is large. */
    private static void parallel(ExecContext ctx, int items, int itemSize, ExecContext.RangeBody body) {
        if ((long) items * itemSize < GRAIN || ctx.threads() == 1) {
            body.run(0, items);
        } else {
            ctx.parallelFor(items, Math.max(1, GRAIN / itemSize), body);
        }
    }

    /**
     * True when {@code small} broadcasts onto {@code big} as a repeated trailing block: after dropping
     * its leading 1s it equals the trailing dims of {@code big}, and it has no more dims than {@code big}.
     */
    static boolean isTrailing(int[] small, int[] big) {
        if (small.length > big.length) {
            return false;
        }
        int s = 0;
        while (s < small.length && small[s] == 1) {
            s++;
        }
        int len = small.length - s;
        for (int i = 0; i < len; i++) {
            if (small[s + i] != big[big.length - len + i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferBroadcast(ctx, ctx.input(0).type());
    }
}
