package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Slice: starts, ends and axes as attributes (before 10) or inputs with optional steps (since
 * 10). Out-of-range starts and ends are clamped as numpy does; negative steps walk backwards.
 */
final class Slice implements Kernel {
    private final long[] attrStarts; // null in the input form
    private final long[] attrEnds;
    private final long[] attrAxes;

    private Slice(long[] starts, long[] ends, long[] axes) {
        this.attrStarts = starts;
        this.attrEnds = ends;
        this.attrAxes = axes;
    }

    static Slice fromAttributes(Node node) {
        long[] starts = node.attributes().getInts("starts", null);
        long[] ends = node.attributes().getInts("ends", null);
        if (starts == null || ends == null) {
            throw new IllegalArgumentException("required attribute '" + (starts == null ? "starts" : "ends") + "' is missing");
        }
        if (starts.length != ends.length) {
            throw new IllegalArgumentException("attribute 'starts' has " + starts.length + " entries, 'ends' has "
                    + ends.length);
        }
        return new Slice(starts, ends, node.attributes().getInts("axes", null));
    }

    static Slice fromInputs(Node node) {
        return new Slice(null, null, null);
    }

    /** Per input axis: first index, step and count of the slice. */
    record Plan(int[] start, int[] step, int[] count) {
    }

    static Plan plan(int[] in, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = in.length;
        if (ends.length != starts.length || axes != null && axes.length != starts.length
                || steps != null && steps.length != starts.length) {
            throw new IllegalArgumentException("starts, ends, axes and steps must have the same length, got starts of "
                    + starts.length + " and ends of " + ends.length);
        }
        int[] start = new int[rank];
        int[] step = new int[rank];
        int[] count = in.clone();
        java.util.Arrays.fill(step, 1);
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < starts.length; i++) {
            int a = Shapes.axis(axes == null ? i : axes[i], rank, "axes value");
            if (seen[a]) {
                throw new IllegalArgumentException("axes value " + axes[i] + " is repeated");
            }
            seen[a] = true;
            long st = steps == null ? 1 : Math.max(steps[i], -Long.MAX_VALUE);
            if (st == 0) {
                throw new IllegalArgumentException("steps value for axis " + a + " is 0");
            }
            long dim = in[a];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            long n;
            if (st > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
                n = e > s ? (e - s - 1) / st + 1 : 0;
            } else {
                s = clamp(s, 0, dim - 1);
                e = clamp(e, -1, dim - 1);
                n = s > e ? (s - e - 1) / -st + 1 : 0;
            }
            start[a] = (int) s;
            step[a] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, st));
            count[a] = (int) n;
        }
        return new Plan(start, step, count);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        Plan p = attrStarts != null ? plan(in, attrStarts, attrEnds, attrAxes, null)
                : plan(in, Shapes.toLongs(inputs[1], "input 'starts'"), Shapes.toLongs(inputs[2], "input 'ends'"),
                        optional(inputs, 3, "input 'axes'"), optional(inputs, 4, "input 'steps'"));
        int[] strides = Shapes.strides(in);
        int offset = 0;
        boolean whole = true;
        for (int d = 0; d < in.length; d++) {
            offset += p.start[d] * strides[d];
            strides[d] *= p.step[d];
            whole &= p.count[d] == in[d] && p.step[d] == 1;
        }
        if (whole) {
            return new Tensor[] {x};
        }
        Object dst = Copies.alloc(ctx, x.dataType(), Shapes.size(p.count));
        Copies.strided(x.data(), offset, p.count, strides, dst, 0);
        return new Tensor[] {Tensor.of(x.dataType(), p.count, dst)};
    }

    static long[] optional(Tensor[] inputs, int i, String what) {
        return i < inputs.length && inputs[i] != null ? Shapes.toLongs(inputs[i], what) : null;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        if (in.shape() == null) {
            return new ValueType[] {new ValueType(in.type(), null)};
        }
        long[] starts = attrStarts;
        long[] ends = attrEnds;
        long[] axes = attrAxes;
        long[] steps = null;
        if (starts == null) {
            Tensor[] c = new Tensor[5];
            for (int i = 0; i < 5; i++) {
                c[i] = ctx.hasInput(i) ? ctx.constant(i) : null;
                if (i > 0 && ctx.hasInput(i) && c[i] == null) {
                    return new ValueType[] {new ValueType(in.type(), Reshape.unknownDims(in.rank()))};
                }
            }
            starts = Shapes.toLongs(c[1], "input 'starts'");
            ends = Shapes.toLongs(c[2], "input 'ends'");
            axes = optional(c, 3, "input 'axes'");
            steps = optional(c, 4, "input 'steps'");
        }
        int[] shape = in.shape();
        int[] known = shape.clone();
        for (int d = 0; d < known.length; d++) {
            known[d] = Math.max(known[d], 0);
        }
        int[] count = plan(known, starts, ends, axes, steps).count;
        for (int d = 0; d < shape.length; d++) {
            count[d] = shape[d] < 0 ? -1 : count[d];
        }
        return new ValueType[] {new ValueType(in.type(), count)};
    }
}
