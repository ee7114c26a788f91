package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * The shared part of ONNX ReduceXxx: axes from the attribute or from input 1 (depending on the
 * opset), {@code keepdims}, {@code noop_with_empty_axes}. Subclasses combine the values: floating
 * types in double, integer types in long.
 */
abstract class Reduction implements Kernel {
    private final String op;
    private final long[] attrAxes; // null: all axes, or from input 1
    private final boolean axesFromInput;
    private final boolean keepDims;
    private final boolean noopWithEmptyAxes;

    Reduction(String op, Node node, boolean axesFromInput) {
        this.op = op;
        this.axesFromInput = axesFromInput;
        this.attrAxes = axesFromInput ? null : node.attributes().getInts("axes", null);
        this.keepDims = node.attributes().getInt("keepdims", 1) != 0;
        this.noopWithEmptyAxes = node.attributes().getInt("noop_with_empty_axes", 0) != 0;
    }

    /** Reduces {@code x} into {@code out}, element i into {@code out[to[i]]}; {@code count} inputs per output. */
    abstract void reduce(double[] x, int[] to, double[] out, int count);

    abstract void reduce(long[] x, int[] to, long[] out, int count);

    /** The float32 reduction of {@code x[off, off + count)}, equal to what {@link #reduce(double[], int[], double[], int)} gives. */
    abstract float reduceRow(float[] x, int off, int count);

    /** The axes to reduce as a mask, or null for "no reduction" (noop with empty axes). */
    private boolean[] mask(long[] axes, int rank) {
        boolean[] m = new boolean[rank];
        if (axes == null || axes.length == 0) {
            if (noopWithEmptyAxes) {
                return null;
            }
            java.util.Arrays.fill(m, true);
            return m;
        }
        for (long a : axes) {
            m[Shapes.axis(a, rank, "axes value")] = true;
        }
        return m;
    }

    private int[] outShape(int[] in, boolean[] m) {
        int n = 0;
        for (int d = 0; d < in.length; d++) {
            n += m[d] && !keepDims ? 0 : 1;
        }
        int[] out = new int[n];
        for (int d = 0, j = 0; d < in.length; d++) {
            if (!m[d]) {
                out[j++] = in[d];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return out;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        long[] axes = axesFromInput ? Slice.optional(inputs, 1, "input 'axes'") : attrAxes;
        boolean[] m = mask(axes, in.length);
        if (m == null) {
            return new Tensor[] {x};
        }
        if (x.dataType() == DataType.FLOAT) {
            int k = in.length;
            while (k > 0 && m[k - 1]) {
                k--;
            }
            boolean trailing = true;
            for (int d = 0; d < k; d++) {
                trailing &= !m[d];
            }
            if (trailing) {
                int rows = Shapes.product(in, 0, k);
                int count = Shapes.product(in, k, in.length);
                float[] xd = x.floatData();
                float[] out = ctx.floats(rows);
                for (int r = 0; r < rows; r++) {
                    out[r] = reduceRow(xd, r * count, count);
                }
                return new Tensor[] {Tensor.of(DataType.FLOAT, outShape(in, m), out)};
            }
        }
        int[] kept = in.clone();
        int count = 1;
        for (int d = 0; d < in.length; d++) {
            if (m[d]) {
                kept[d] = 1;
                count *= in[d];
            }
        }
        int[] keptStrides = Shapes.strides(kept);
        for (int d = 0; d < in.length; d++) {
            keptStrides[d] = m[d] ? 0 : keptStrides[d];
        }
        int[] to = Gathers.offsets(in, Gathers.stridedAxes(in, keptStrides));
        int outSize = Shapes.size(kept);
        DataType type = x.dataType();
        Object result;
        if (type == DataType.INT64 || type == DataType.INT32 || type == DataType.INT8 || type == DataType.UINT8
                || type == DataType.UINT32 || type == DataType.BOOL) {
            long[] values = new long[x.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = x.getLong(i);
            }
            long[] out = new long[outSize];
            reduce(values, to, out, count);
            result = type == DataType.INT64 ? out : Gathers.fromDoubles(type, toDoubles(out));
        } else if (type.isFloatingPoint()) {
            double[] out = new double[outSize];
            reduce(Gathers.toDoubles(x), to, out, count);
            result = Gathers.fromDoubles(type, out);
        } else {
            throw new UnsupportedOperationException(op + " does not support " + type + " input");
        }
        return new Tensor[] {Tensor.of(type, outShape(in, m), result)};
    }

    private static double[] toDoubles(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        long[] axes = attrAxes;
        if (axesFromInput && ctx.hasInput(1)) {
            Tensor c = ctx.constant(1);
            if (c == null) {
                return new ValueType[] {new ValueType(in.type(), keepDims && in.hasRank() ? Reshape.unknownDims(in.rank())
                        : null)};
            }
            axes = Shapes.toLongs(c, "input 'axes'");
        }
        if (in.shape() == null) {
            return new ValueType[] {new ValueType(in.type(), null)};
        }
        boolean[] m = mask(axes, in.rank());
        return new ValueType[] {new ValueType(in.type(), m == null ? in.shape().clone() : outShape(in.shape(), m))};
    }
}
