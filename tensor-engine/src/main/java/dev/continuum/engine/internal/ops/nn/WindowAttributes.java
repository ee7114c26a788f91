package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/**
 * The sliding-window attributes shared by Conv and the pools ({@code kernel_shape}, {@code strides},
 * {@code dilations}, {@code pads}, {@code auto_pad}, {@code ceil_mode}), read and checked once, and
 * resolved against an input's spatial dims into a {@link ConvGeometry}.
 */
final class WindowAttributes {
    enum AutoPad { NOTSET, SAME_UPPER, SAME_LOWER, VALID }

    final int[] kernelShape; // null: taken from the weights
    private final int[] strides; // null: all 1
    private final int[] dilations; // null: all 1
    private final int[] pads; // null: all 0; else (begin..., end...)
    final AutoPad autoPad;
    private final boolean ceilMode;

    WindowAttributes(Attributes at, boolean kernelRequired) {
        kernelShape = kernelRequired ? requiredInts(at, "kernel_shape") : at.getIntArray("kernel_shape", null);
        strides = positive(at, "strides");
        dilations = positive(at, "dilations");
        pads = at.getIntArray("pads", null);
        autoPad = autoPad(at.getString("auto_pad", "NOTSET"));
        ceilMode = at.getInt("ceil_mode", 0) != 0;
        if (kernelShape != null) {
            checkLength("strides", strides, kernelShape.length);
            checkLength("dilations", dilations, kernelShape.length);
            checkLength("pads", pads, 2 * kernelShape.length);
        }
        if (pads != null) {
            for (int p : pads) {
                if (p < 0) {
                    throw new IllegalArgumentException("attribute 'pads' must not be negative, got " + Arrays.toString(pads));
                }
            }
        }
    }

    static AutoPad autoPad(String s) {
        return switch (s) {
            case "NOTSET", "" -> AutoPad.NOTSET;
            case "SAME_UPPER" -> AutoPad.SAME_UPPER;
            case "SAME_LOWER" -> AutoPad.SAME_LOWER;
            case "VALID" -> AutoPad.VALID;
            default -> throw new IllegalArgumentException("attribute 'auto_pad' must be NOTSET, SAME_UPPER, SAME_LOWER"
                    + " or VALID, got '" + s + "'");
        };
    }

    private static int[] requiredInts(Attributes at, String name) {
        int[] v = at.getIntArray(name, null);
        if (v == null) {
            throw new IllegalArgumentException("required attribute '" + name + "' is missing");
        }
        for (int k : v) {
            if (k <= 0) {
                throw new IllegalArgumentException("attribute '" + name + "' must be positive, got " + Arrays.toString(v));
            }
        }
        return v;
    }

    static int[] positive(Attributes at, String name) {
        int[] v = at.getIntArray(name, null);
        if (v != null) {
            for (int k : v) {
                if (k <= 0) {
                    throw new IllegalArgumentException("attribute '" + name + "' must be positive, got " + Arrays.toString(v));
                }
            }
        }
        return v;
    }

    static void checkLength(String name, int[] v, int expected) {
        if (v != null && v.length != expected) {
            throw new IllegalArgumentException("attribute '" + name + "' has " + v.length + " values, expected "
                    + expected);
        }
    }

    static int[] orOnes(int[] v, int n) {
        if (v != null) {
            return v;
        }
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }

    /**
     * The geometry of this window over {@code image} spatial dims (-1 = unknown, giving -1 out dims)
     * with kernel {@code kernel} (the attribute when given, else the weights' spatial dims).
     */
    ConvGeometry resolve(int[] image, int[] kernel) {
        int n = image.length;
        if (kernel.length != n) {
            throw new IllegalArgumentException("attribute 'kernel_shape' has " + kernel.length + " dims, input has "
                    + n + " spatial dims");
        }
        checkLength("strides", strides, n);
        checkLength("dilations", dilations, n);
        checkLength("pads", pads, 2 * n);
        int[] s = orOnes(strides, n);
        int[] d = orOnes(dilations, n);
        int[] pb = new int[n];
        int[] pe = new int[n];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int dk = (kernel[i] - 1) * d[i] + 1;
            if (image[i] < 0) {
                out[i] = -1;
                continue;
            }
            switch (autoPad) {
                case SAME_UPPER, SAME_LOWER -> {
                    out[i] = (image[i] + s[i] - 1) / s[i];
                    int total = Math.max(0, (out[i] - 1) * s[i] + dk - image[i]);
                    pb[i] = autoPad == AutoPad.SAME_UPPER ? total / 2 : total - total / 2;
                    pe[i] = total - pb[i];
                }
                case VALID -> out[i] = outDim(image[i], dk, s[i], 0, 0);
                case NOTSET -> {
                    pb[i] = pads == null ? 0 : pads[i];
                    pe[i] = pads == null ? 0 : pads[i + n];
                    out[i] = outDim(image[i], dk, s[i], pb[i], pe[i]);
                }
            }
        }
        return new ConvGeometry(image, kernel, s, d, pb, pe, out);
    }

    private int outDim(int in, int dk, int stride, int pb, int pe) {
        int span = in + pb + pe - dk;
        if (span < 0) {
            throw new IllegalArgumentException("the dilated kernel (" + dk + ") is larger than the padded input ("
                    + (in + pb + pe) + ")");
        }
        if (!ceilMode) {
            return span / stride + 1;
        }
        int out = (span + stride - 1) / stride + 1;
        if ((out - 1) * stride >= in + pb) {
            out--; // the last window would start in the end padding
        }
        return out;
    }

    /** The spatial dims of a shape (N, C, D1, ...) as an array, or null when the rank is unknown. */
    static int[] spatial(int[] shape) {
        return shape == null || shape.length < 2 ? null : Arrays.copyOfRange(shape, 2, shape.length);
    }

    static String str(int[] shape) {
        return Shapes.str(shape);
    }
}
