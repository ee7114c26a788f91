package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.Shapes;

/**
 * The Conv attributes ConvInteger and QLinearConv share, read once. Arrays are null when absent
 * (their defaults depend on the number of spatial dims, known at run time).
 */
record ConvAttributes(String autoPad, int[] kernelShape, int[] strides, int[] dilations, int[] pads, int group) {

    static ConvAttributes read(Node node) {
        Attributes a = node.attributes();
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("SAME_UPPER") && !autoPad.equals("SAME_LOWER")
                && !autoPad.equals("VALID")) {
            throw new IllegalArgumentException("attribute 'auto_pad' must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '"
                    + autoPad + "'");
        }
        long group = a.getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attribute 'group' must be >= 1, got " + group);
        }
        int[] strides = positive(a.getIntArray("strides", null), "strides");
        int[] dilations = positive(a.getIntArray("dilations", null), "dilations");
        int[] pads = a.getIntArray("pads", null);
        if (pads != null) {
            if (pads.length % 2 != 0) {
                throw new IllegalArgumentException("attribute 'pads' has " + pads.length + " values, expected an even count");
            }
            for (int p : pads) {
                if (p < 0) {
                    throw new IllegalArgumentException("attribute 'pads' has negative value " + p);
                }
            }
        }
        return new ConvAttributes(autoPad, positive(a.getIntArray("kernel_shape", null), "kernel_shape"), strides,
                dilations, pads, (int) group);
    }

    private static int[] positive(int[] v, String name) {
        if (v != null) {
            for (int x : v) {
                if (x < 1) {
                    throw new IllegalArgumentException("attribute '" + name + "' has non-positive value " + x
                            + " in " + Shapes.str(v));
                }
            }
        }
        return v;
    }
}
