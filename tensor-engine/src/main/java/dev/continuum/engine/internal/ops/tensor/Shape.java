package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Shape: the input's dims as int64, optionally the clamped range {@code [start, end)} (since 15). */
final class Shape implements Kernel {
    private final long start;
    private final long end; // Long.MAX_VALUE: to the last dim

    Shape(Node node) {
        this.start = node.attributes().getInt("start", 0);
        this.end = node.attributes().getInt("end", Long.MAX_VALUE);
    }

    private int clamp(long v, int rank) {
        long r = v < 0 ? v + rank : v;
        return (int) Math.max(0, Math.min(rank, r));
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        int[] dims = inputs[0].dims();
        int s = clamp(start, dims.length);
        int e = Math.max(s, clamp(end, dims.length));
        long[] out = new long[e - s];
        for (int i = s; i < e; i++) {
            out[i - s] = dims[i];
        }
        return new Tensor[] {Tensor.ofLongs(new int[] {out.length}, out)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        int rank = ctx.input(0).rank();
        if (rank < 0) {
            return new ValueType[] {ValueType.of(DataType.INT64, -1)};
        }
        int s = clamp(start, rank);
        return new ValueType[] {ValueType.of(DataType.INT64, Math.max(s, clamp(end, rank)) - s)};
    }
}
