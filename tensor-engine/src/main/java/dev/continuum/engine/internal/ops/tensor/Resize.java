package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.internal.ops.tensor.ResizeAxis.Geometry;
import dev.continuum.engine.internal.ops.tensor.ResizeAxis.Nearest;
import dev.continuum.engine.internal.ops.tensor.ResizeAxis.Transform;
import java.util.Locale;

/**
 * ONNX Resize. Opset 10 takes (X, scales) and resizes asymmetrically; since 11 it takes (X, roi,
 * scales, sizes) with a coordinate transformation mode; since 18 also antialias, axes and
 * keep_aspect_ratio_policy. Nearest works for every type by index; linear and cubic interpolate
 * one axis at a time in double.
 */
final class Resize implements Kernel {
    private enum Mode { NEAREST, LINEAR, CUBIC }

    private enum Policy { STRETCH, NOT_LARGER, NOT_SMALLER }

    private final boolean opset10;
    private final Mode mode;
    private final Transform transform;
    private final Nearest nearest;
    private final double cubicA;
    private final boolean excludeOutside;
    private final double extrapolationValue;
    private final boolean antialias;
    private final int[] axes; // null: every axis
    private final Policy policy;

    private Resize(Node node, boolean opset10) {
        Attributes a = node.attributes();
        this.opset10 = opset10;
        this.mode = parse(Mode.class, "mode", a.getString("mode", "nearest"));
        this.transform = opset10 ? Transform.ASYMMETRIC
                : parse(Transform.class, "coordinate_transformation_mode",
                        a.getString("coordinate_transformation_mode", "half_pixel"));
        this.nearest = opset10 ? Nearest.SIMPLE
                : parse(Nearest.class, "nearest_mode", a.getString("nearest_mode", "round_prefer_floor"));
        this.cubicA = a.getFloat("cubic_coeff_a", -0.75f);
        this.excludeOutside = a.getInt("exclude_outside", 0) != 0;
        this.extrapolationValue = a.getFloat("extrapolation_value", 0f);
        this.antialias = a.getInt("antialias", 0) != 0;
        this.axes = a.getIntArray("axes", null);
        this.policy = parse(Policy.class, "keep_aspect_ratio_policy", a.getString("keep_aspect_ratio_policy", "stretch"));
        if (opset10 && mode == Mode.CUBIC) {
            throw new IllegalArgumentException("attribute 'mode' is 'cubic', Resize-10 supports nearest and linear");
        }
        if (antialias && mode == Mode.NEAREST) {
            throw new IllegalArgumentException("attribute 'antialias' is 1, which needs mode linear or cubic");
        }
    }

    static Resize opset10(Node node) {
        return new Resize(node, true);
    }

    static Resize opset11(Node node) {
        return new Resize(node, false);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String attribute, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attribute '" + attribute + "' has unsupported value '" + value + "'");
        }
    }

    /** Input i when given and not empty, else null. */
    private static Tensor given(Tensor[] inputs, int i) {
        return i < inputs.length && inputs[i] != null && inputs[i].size() > 0 ? inputs[i] : null;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        Tensor scales = given(inputs, opset10 ? 1 : 2);
        Tensor sizes = opset10 ? null : given(inputs, 3);
        Geometry[] g = geometry(in, opset10 ? null : given(inputs, 1), scales, sizes);
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            out[d] = g[d].outLength();
            if (in[d] == 0 && out[d] > 0) {
                throw new IllegalArgumentException("cannot resize empty axis " + d + " of " + Shapes.str(in));
            }
        }
        if (mode == Mode.NEAREST) {
            return new Tensor[] {nearest(x, g, out)};
        }
        return new Tensor[] {interpolate(x, g, out)};
    }

    private Tensor nearest(Tensor x, Geometry[] g, int[] out) {
        int[] strides = Shapes.strides(x.dims());
        int[][] axisOffsets = new int[out.length][];
        for (int d = 0; d < out.length; d++) {
            ResizeAxis r = ResizeAxis.nearest(transform, nearest, g[d]);
            axisOffsets[d] = new int[out[d]];
            for (int j = 0; j < out[d]; j++) {
                axisOffsets[d][j] = r.extrapolate[j] ? Gathers.OUTSIDE : r.position[j] * strides[d];
            }
        }
        Object fill = Gathers.scalarArray(x.dataType(), extrapolationValue);
        return Tensor.of(x.dataType(), out, Gathers.take(x.data(), Gathers.offsets(out, axisOffsets), fill));
    }

    private Tensor interpolate(Tensor x, Geometry[] g, int[] out) {
        DataType type = x.dataType();
        if (type == DataType.BOOL || type == DataType.UINT64) {
            throw new UnsupportedOperationException("Resize does not support " + type + " input in mode " + mode);
        }
        double[] data = Gathers.toDoubles(x);
        int[] shape = x.shape();
        for (int d = 0; d < shape.length; d++) {
            boolean identity = g[d].scale() == 1 && out[d] == shape[d] && transform != Transform.TF_CROP_AND_RESIZE;
            if (identity) {
                continue;
            }
            ResizeAxis r = ResizeAxis.interpolating(transform, g[d], mode == Mode.CUBIC ? cubicA : Double.NaN,
                    antialias, excludeOutside);
            data = r.apply(data, Shapes.product(shape, 0, d), shape[d], Shapes.product(shape, d + 1, shape.length),
                    extrapolationValue);
            shape[d] = out[d];
        }
        return Tensor.of(type, out, Gathers.fromDoubles(type, data == x.data() ? data.clone() : data));
    }

    /** Per input axis: lengths, scale and crop box, from scales or sizes (only over {@code axes}). */
    private Geometry[] geometry(int[] in, Tensor roi, Tensor scales, Tensor sizes) {
        int rank = in.length;
        int[] ax = resizedAxes(rank);
        double[] scale = new double[rank];
        int[] out = in.clone();
        java.util.Arrays.fill(scale, 1);
        if (sizes != null) {
            sizesToScales(in, ax, Shapes.toInts(sizes, "input 'sizes'"), scale, out);
        } else if (scales != null) {
            double[] s = Gathers.toDoubles(scales);
            expectLength("input 'scales'", s.length, ax.length);
            for (int i = 0; i < ax.length; i++) {
                if (!(s[i] > 0)) {
                    throw new IllegalArgumentException("input 'scales' value " + s[i] + " is not positive");
                }
                scale[ax[i]] = s[i];
                out[ax[i]] = (int) Math.floor(s[i] * in[ax[i]]);
            }
        } else {
            throw new IllegalArgumentException("one of inputs 'scales' and 'sizes' is needed");
        }
        double[] box = roi == null ? null : Gathers.toDoubles(roi);
        if (box != null && transform == Transform.TF_CROP_AND_RESIZE) {
            expectLength("input 'roi'", box.length, 2 * ax.length);
        }
        Geometry[] g = new Geometry[rank];
        for (int d = 0; d < rank; d++) {
            g[d] = new Geometry(in[d], out[d], scale[d], 0, 1);
        }
        for (int i = 0; box != null && transform == Transform.TF_CROP_AND_RESIZE && i < ax.length; i++) {
            int d = ax[i];
            g[d] = new Geometry(in[d], out[d], scale[d], box[i], box[i + ax.length]);
        }
        return g;
    }

    private void sizesToScales(int[] in, int[] ax, int[] sizes, double[] scale, int[] out) {
        expectLength("input 'sizes'", sizes.length, ax.length);
        double chosen = policy == Policy.NOT_LARGER ? Double.POSITIVE_INFINITY : 0;
        for (int i = 0; i < ax.length; i++) {
            if (sizes[i] < 0) {
                throw new IllegalArgumentException("input 'sizes' value " + sizes[i] + " is negative");
            }
            double s = (double) sizes[i] / in[ax[i]];
            scale[ax[i]] = s;
            out[ax[i]] = sizes[i];
            chosen = policy == Policy.NOT_LARGER ? Math.min(chosen, s) : Math.max(chosen, s);
        }
        if (policy != Policy.STRETCH) {
            for (int d : ax) {
                scale[d] = chosen;
                out[d] = (int) (chosen * in[d] + 0.5);
            }
        }
    }

    private int[] resizedAxes(int rank) {
        if (axes == null) {
            int[] all = new int[rank];
            for (int d = 0; d < rank; d++) {
                all[d] = d;
            }
            return all;
        }
        int[] r = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            r[i] = Shapes.axis(axes[i], rank, "attribute 'axes' value");
        }
        return r;
    }

    private static void expectLength(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has " + actual + " values, expected " + expected);
        }
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        if (!x.isStatic()) {
            return new ValueType[] {new ValueType(x.type(), x.hasRank() ? Reshape.unknownDims(x.rank()) : null)};
        }
        Tensor[] c = new Tensor[4];
        for (int i = 1; i < Math.min(4, ctx.inputCount()); i++) {
            if (ctx.hasInput(i) && ctx.constant(i) == null) {
                return new ValueType[] {new ValueType(x.type(), Reshape.unknownDims(x.rank()))};
            }
            c[i] = ctx.constant(i);
        }
        Tensor scales = given(c, opset10 ? 1 : 2);
        Tensor sizes = opset10 ? null : given(c, 3);
        Geometry[] g = geometry(x.shape(), null, scales, sizes);
        int[] out = new int[g.length];
        for (int d = 0; d < g.length; d++) {
            out[d] = g[d].outLength();
        }
        return new ValueType[] {new ValueType(x.type(), out)};
    }
}
