package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/**
 * The shapes of one convolution: x (N, C, spatial...), w (M, C / group, kernel...), y (N, M,
 * out...), with strides, dilations and the pads at the start and end of each spatial dim.
 */
final class ConvGeometry {
    final int batch;
    final int inChannels;
    final int outChannels;
    final int group;
    final int[] in;        // spatial dims of x
    final int[] kernel;
    final int[] out;       // spatial dims of y
    final int[] strides;
    final int[] dilations;
    final int[] padBegin;

    private ConvGeometry(int[] x, int[] w, int group, int[] kernel, int[] out, int[] strides, int[] dilations,
                         int[] padBegin) {
        this.batch = x[0];
        this.inChannels = x[1];
        this.outChannels = w[0];
        this.group = group;
        this.in = Arrays.copyOfRange(x, 2, x.length);
        this.kernel = kernel;
        this.out = out;
        this.strides = strides;
        this.dilations = dilations;
        this.padBegin = padBegin;
    }

    static ConvGeometry of(ConvAttributes a, int[] x, int[] w) {
        if (x.length < 3 || w.length != x.length) {
            throw new IllegalArgumentException("input 'x' has shape " + Shapes.str(x) + " and 'w' has shape "
                    + Shapes.str(w) + ", expected (N, C, spatial...) and (M, C / group, kernel...) of the same rank");
        }
        int dims = x.length - 2;
        int[] kernel = Arrays.copyOfRange(w, 2, w.length);
        if (a.kernelShape() != null && !Arrays.equals(a.kernelShape(), kernel)) {
            throw new IllegalArgumentException("attribute 'kernel_shape' " + Shapes.str(a.kernelShape())
                    + " does not match the weight's kernel " + Shapes.str(kernel) + " (input has " + dims + " spatial dims)");
        }
        if (x[1] != w[1] * a.group() || w[0] % a.group() != 0) {
            throw new IllegalArgumentException("input 'w' has shape " + Shapes.str(w) + ", expected "
                    + x[1] / a.group() + " input channels per group and output channels divisible by group " + a.group());
        }
        int[] strides = orOnes(a.strides(), dims, "strides");
        int[] dilations = orOnes(a.dilations(), dims, "dilations");
        int[] pads = a.pads() == null ? new int[2 * dims] : a.pads();
        if (pads.length != 2 * dims) {
            throw new IllegalArgumentException("attribute 'pads' has " + pads.length + " values, input has " + dims + " spatial dims");
        }
        int[] padBegin = new int[dims];
        int[] out = new int[dims];
        for (int d = 0; d < dims; d++) {
            int inDim = x[2 + d];
            int span = (kernel[d] - 1) * dilations[d] + 1;
            switch (a.autoPad()) {
                case "VALID" -> out[d] = Math.max(0, Math.floorDiv(inDim - span, strides[d]) + 1);
                case "SAME_UPPER", "SAME_LOWER" -> {
                    out[d] = (inDim + strides[d] - 1) / strides[d];
                    int total = Math.max(0, (out[d] - 1) * strides[d] + span - inDim);
                    padBegin[d] = a.autoPad().equals("SAME_UPPER") ? total / 2 : total - total / 2;
                }
                default -> {
                    padBegin[d] = pads[d];
                    out[d] = Math.max(0, Math.floorDiv(inDim + pads[d] + pads[d + dims] - span, strides[d]) + 1);
                }
            }
        }
        return new ConvGeometry(x, w, a.group(), kernel, out, strides, dilations, padBegin);
    }

    private static int[] orOnes(int[] v, int dims, String name) {
        if (v == null) {
            int[] ones = new int[dims];
            Arrays.fill(ones, 1);
            return ones;
        }
        if (v.length != dims) {
            throw new IllegalArgumentException("attribute '" + name + "' has " + v.length + " dims, input has " + dims
                    + " spatial dims");
        }
        return v;
    }

    int[] outputShape() {
        int[] s = new int[2 + out.length];
        s[0] = batch;
        s[1] = outChannels;
        System.arraycopy(out, 0, s, 2, out.length);
        return s;
    }
}
