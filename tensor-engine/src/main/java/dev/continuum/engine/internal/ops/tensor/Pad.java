package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Pad in modes constant, reflect, edge and wrap (wrap since 19). Pads are
 * {@code [begin_0.., end_0..]}, an attribute with a float {@code value} before 11, inputs (pads,
 * constant_value, axes since 18) after; negative pads crop.
 */
final class Pad implements Kernel {
    enum Mode { CONSTANT, REFLECT, EDGE, WRAP }

    private final Mode mode;
    private final long[] attrPads; // null in the input form
    private final float attrValue;

    private Pad(Node node, long[] attrPads) {
        String m = node.attributes().getString("mode", "constant");
        this.mode = switch (m) {
            case "constant" -> Mode.CONSTANT;
            case "reflect" -> Mode.REFLECT;
            case "edge" -> Mode.EDGE;
            case "wrap" -> Mode.WRAP;
            default -> throw new IllegalArgumentException("attribute 'mode' is '" + m
                    + "', expected constant, reflect, edge or wrap");
        };
        this.attrPads = attrPads;
        this.attrValue = node.attributes().getFloat("value", 0f);
    }

    static Pad fromAttributes(Node node) {
        long[] pads = node.attributes().getInts("pads", null);
        if (pads == null) {
            throw new IllegalArgumentException("required attribute 'pads' is missing");
        }
        return new Pad(node, pads);
    }

    static Pad fromInputs(Node node) {
        return new Pad(node, null);
    }

    /** Per axis {@code [begin, end]} pads for an input of rank {@code rank}. */
    static long[][] pads(long[] pads, long[] axes, int rank) {
        int n = axes == null ? rank : axes.length;
        if (pads.length != 2 * n) {
            throw new IllegalArgumentException("pads has " + pads.length + " entries, expected " + 2 * n);
        }
        long[][] r = new long[rank][2];
        for (int i = 0; i < n; i++) {
            int a = axes == null ? i : Shapes.axis(axes[i], rank, "axes value");
            r[a][0] = pads[i];
            r[a][1] = pads[i + n];
        }
        return r;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        long[][] p = attrPads != null ? pads(attrPads, null, in.length)
                : pads(Shapes.toLongs(inputs[1], "input 'pads'"), Slice.optional(inputs, 3, "input 'axes'"), in.length);
        int[] out = outShape(in, p);
        int[] strides = Shapes.strides(in);
        int[][] axes = new int[in.length][];
        for (int d = 0; d < in.length; d++) {
            if (in[d] == 0 && out[d] > 0 && mode != Mode.CONSTANT) {
                throw new IllegalArgumentException("cannot pad empty axis " + d + " in mode " + mode);
            }
            axes[d] = new int[out[d]];
            for (int i = 0; i < out[d]; i++) {
                int src = source(i - p[d][0], in[d]);
                axes[d][i] = src < 0 ? Gathers.OUTSIDE : src * strides[d];
            }
        }
        Object fill = fill(x, inputs);
        Object data = Gathers.take(x.data(), Gathers.offsets(out, axes), fill);
        return new Tensor[] {Tensor.of(x.dataType(), out, data)};
    }

    private Object fill(Tensor x, Tensor[] inputs) {
        if (mode != Mode.CONSTANT) {
            return null;
        }
        if (attrPads != null) {
            return Gathers.scalarArray(x.dataType(), attrValue);
        }
        Tensor v = inputs.length > 2 ? inputs[2] : null;
        if (v == null || v.size() == 0) {
            return null;
        }
        if (v.dataType() != x.dataType()) {
            throw new IllegalArgumentException("input 'constant_value' is " + v.dataType() + ", expected " + x.dataType());
        }
        return v.data();
    }

    /** The input coordinate for padded coordinate {@code i} (relative to the input start), or -1. */
    private int source(long i, int n) {
        if (i >= 0 && i < n) {
            return (int) i;
        }
        switch (mode) {
            case EDGE:
                return i < 0 ? 0 : n - 1;
            case WRAP:
                return (int) Math.floorMod(i, (long) n);
            case REFLECT: {
                if (n == 1) {
                    return 0;
                }
                long period = 2L * (n - 1);
                long m = Math.floorMod(i, period);
                return (int) (m >= n ? period - m : m);
            }
            default:
                return -1;
        }
    }

    private static int[] outShape(int[] in, long[][] p) {
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            long o = in[d] < 0 ? -1 : in[d] + p[d][0] + p[d][1];
            if (in[d] >= 0 && o < 0) {
                throw new IllegalArgumentException("pads " + p[d][0] + ", " + p[d][1] + " crop more than axis " + d
                        + " of size " + in[d]);
            }
            out[d] = (int) o;
        }
        return out;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        if (in.shape() == null) {
            return new ValueType[] {new ValueType(in.type(), null)};
        }
        long[][] p;
        if (attrPads != null) {
            p = pads(attrPads, null, in.rank());
        } else {
            Tensor pads = ctx.constant(1);
            Tensor axes = ctx.hasInput(3) ? ctx.constant(3) : null;
            if (pads == null || ctx.hasInput(3) && axes == null) {
                return new ValueType[] {new ValueType(in.type(), Reshape.unknownDims(in.rank()))};
            }
            p = pads(Shapes.toLongs(pads, "input 'pads'"), axes == null ? null : Shapes.toLongs(axes, "input 'axes'"),
                    in.rank());
        }
        return new ValueType[] {new ValueType(in.type(), outShape(in.shape(), p))};
    }
}
