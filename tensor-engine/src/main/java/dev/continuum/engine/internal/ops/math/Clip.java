package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * Clip: y = min(max(x, min), max), so min > max gives max everywhere and NaN stays NaN. Before
 * opset 11 the bounds are float attributes; from 11 they are optional scalar inputs of x's type.
 */
final class Clip implements Kernel {
    private final boolean boundsAsInputs;
    private final float minAttr;
    private final float maxAttr;

    private Clip(boolean boundsAsInputs, float minAttr, float maxAttr) {
        this.boundsAsInputs = boundsAsInputs;
        this.minAttr = minAttr;
        this.maxAttr = maxAttr;
    }

    /** Clip-6: attributes {@code min} and {@code max}, default the lowest and greatest float. */
    static Kernel withAttributes(Node n) {
        return new Clip(false, n.attributes().getFloat("min", -Float.MAX_VALUE),
                n.attributes().getFloat("max", Float.MAX_VALUE));
    }

    /** Clip-11 and later: optional inputs 1 (min) and 2 (max). */
    static Kernel withInputs(Node n) {
        return new Clip(true, 0f, 0f);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        DataType type = x.dataType();
        Tensor lo = boundsAsInputs && inputs.length > 1 ? inputs[1] : null;
        Tensor hi = boundsAsInputs && inputs.length > 2 ? inputs[2] : null;
        if (!boundsAsInputs) {
            Elementwise.requireFloat("Clip", type);
        }
        Elementwise.requireNumeric("Clip", type);
        check("min", lo, type);
        check("max", hi, type);
        int n = x.size();
        Object out;
        switch (Lane.of(type)) {
            case FLOAT -> {
                float[] a = Lanes.floats(x);
                float l = lo != null ? Lanes.floats(lo)[0] : boundsAsInputs ? Float.NEGATIVE_INFINITY : minAttr;
                float h = hi != null ? Lanes.floats(hi)[0] : boundsAsInputs ? Float.POSITIVE_INFINITY : maxAttr;
                float[] r = ctx.floats(n);
                FloatKernels k = l == l && h == h ? FloatKernels.get() : FloatKernels.scalar();
                if (n < Elementwise.GRAIN || ctx.threads() == 1) {
                    k.clip(a, 0, l, h, r, 0, n);
                } else {
                    ctx.parallelFor(n, Elementwise.GRAIN, (from, to) -> k.clip(a, from, l, h, r, from, to - from));
                }
                out = r;
            }
            case DOUBLE -> {
                double[] a = x.doubleData();
                double l = lo != null ? lo.doubleData()[0] : boundsAsInputs ? Double.NEGATIVE_INFINITY : minAttr;
                double h = hi != null ? hi.doubleData()[0] : boundsAsInputs ? Double.POSITIVE_INFINITY : maxAttr;
                double[] r = new double[n];
                ctx.parallelFor(n, Elementwise.GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        double v = a[i] < l ? l : a[i];
                        r[i] = v > h ? h : v;
                    }
                });
                out = r;
            }
            default -> out = clampLongs(ctx, type, Lanes.longs(x), lo, hi);
        }
        return new Tensor[] {Elementwise.narrow(ctx, type, x.dims(), out)};
    }

    private static long[] clampLongs(ExecContext ctx, DataType type, long[] a, Tensor lo, Tensor hi) {
        boolean unsigned = type == DataType.UINT64;
        long l = lo != null ? Lanes.longs(lo)[0] : unsigned ? 0 : Long.MIN_VALUE;
        long h = hi != null ? Lanes.longs(hi)[0] : unsigned ? -1L : Long.MAX_VALUE;
        long[] r = Elementwise.longs(ctx, a.length);
        ctx.parallelFor(a.length, Elementwise.GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                long v = a[i];
                if (unsigned) {
                    v = Long.compareUnsigned(v, l) < 0 ? l : v;
                    r[i] = Long.compareUnsigned(v, h) > 0 ? h : v;
                } else {
                    v = v < l ? l : v;
                    r[i] = v > h ? h : v;
                }
            }
        });
        return r;
    }

    private static void check(String name, Tensor bound, DataType type) {
        if (bound == null) {
            return;
        }
        if (bound.dataType() != type) {
            throw new IllegalArgumentException("Clip input '" + name + "' must be " + type + ", got "
                    + bound.dataType());
        }
        if (bound.size() != 1) {
            throw new IllegalArgumentException("Clip input '" + name + "' must be a scalar, got shape "
                    + Shapes.str(bound.dims()));
        }
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferSame(ctx);
    }
}
