package dev.continuum.engine.internal.ops.tensor;

/**
 * How one axis of a Resize maps output positions to input taps: for output index j, {@code taps}
 * input positions {@code position[j*taps + t]} (already clamped, or -1 when excluded) with weights
 * {@code weight[j*taps + t]}, or {@code extrapolate[j]} when the source lies outside the crop box.
 */
final class ResizeAxis {
    /** ONNX coordinate_transformation_mode values. */
    enum Transform { HALF_PIXEL, HALF_PIXEL_SYMMETRIC, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC,
        TF_HALF_PIXEL_FOR_NN, TF_CROP_AND_RESIZE }

    /** ONNX nearest_mode values, plus SIMPLE (Resize-10: floor when upsampling, ceil when downsampling). */
    enum Nearest { ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL, SIMPLE }

    /** What one axis is resized with. */
    record Geometry(int inLength, int outLength, double scale, double roiStart, double roiEnd) {
    }

    final int taps;
    final int[] position; // (outLength, taps)
    final double[] weight; // (outLength, taps)
    final boolean[] extrapolate; // (outLength)

    private ResizeAxis(int outLength, int taps) {
        this.taps = taps;
        this.position = new int[outLength * taps];
        this.weight = new double[outLength * taps];
        this.extrapolate = new boolean[outLength];
    }

    /** The source coordinate of output index {@code x}, in input index units. */
    static double source(Transform t, Geometry g, int x) {
        double outWidth = g.scale * g.inLength; // not rounded, as ONNX's reference computes it
        int in = g.inLength;
        switch (t) {
            case ALIGN_CORNERS:
                return outWidth == 1 ? 0 : x * (in - 1) / (outWidth - 1);
            case ASYMMETRIC:
                return x / g.scale;
            case TF_HALF_PIXEL_FOR_NN:
                return (x + 0.5) / g.scale;
            case PYTORCH_HALF_PIXEL:
                return g.outLength > 1 ? (x + 0.5) / g.scale - 0.5 : 0;
            case HALF_PIXEL_SYMMETRIC: {
                double adjustment = g.outLength / outWidth;
                double offset = in / 2.0 * (1 - adjustment);
                return offset + (x + 0.5) / g.scale - 0.5;
            }
            case TF_CROP_AND_RESIZE: {
                double span = (g.roiEnd - g.roiStart) * (in - 1);
                double s = outWidth == 1 ? span / 2 : x * span / (outWidth - 1);
                return s + g.roiStart * (in - 1);
            }
            default:
                return (x + 0.5) / g.scale - 0.5;
        }
    }

    private static boolean outside(Transform t, double x, int in) {
        return t == Transform.TF_CROP_AND_RESIZE && (x < 0 || x > in - 1);
    }

    /** One tap per output index: the nearest input position. */
    static ResizeAxis nearest(Transform t, Nearest mode, Geometry g) {
        ResizeAxis r = new ResizeAxis(g.outLength, 1);
        for (int j = 0; j < g.outLength; j++) {
            double x = source(t, g, j);
            r.extrapolate[j] = outside(t, x, g.inLength);
            double floor = Math.floor(x);
            double frac = x - floor;
            double pick = switch (mode) {
                case ROUND_PREFER_FLOOR -> frac <= 0.5 ? floor : floor + 1;
                case ROUND_PREFER_CEIL -> frac < 0.5 ? floor : floor + 1;
                case FLOOR -> floor;
                case CEIL -> Math.ceil(x);
                case SIMPLE -> g.scale < 1 ? Math.ceil(x) : floor;
            };
            r.position[j] = (int) Math.max(0, Math.min(g.inLength - 1, pick));
            r.weight[j] = 1;
        }
        return r;
    }

    /**
     * Linear (cubicA NaN) or cubic taps. With antialias the kernel is stretched by 1/scale when
     * downscaling and normalised; exclude_outside drops taps outside the input and renormalises.
     */
    static ResizeAxis interpolating(Transform t, Geometry g, double cubicA, boolean antialias, boolean excludeOutside) {
        boolean cubic = !Double.isNaN(cubicA);
        double s = antialias ? Math.min(g.scale, 1) : 1;
        int start = (int) Math.floor((cubic ? -2 : -1) / s) + 1;
        int taps = 2 - 2 * start;
        ResizeAxis r = new ResizeAxis(g.outLength, taps);
        int in = g.inLength;
        for (int j = 0; j < g.outLength; j++) {
            double x = source(t, g, j);
            r.extrapolate[j] = outside(t, x, in);
            double base = Math.ceil(x) - 1; // ratio in (0, 1]: an integer x takes the left tap window
            double ratio = x - base;
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                int i = start + k;
                double arg = Math.abs((i - ratio) * s);
                double w = cubic ? cubicKernel(arg, cubicA) : Math.max(0, 1 - arg);
                long p = (long) base + i;
                if (excludeOutside && (p < 0 || p >= in)) {
                    w = 0;
                }
                r.position[j * taps + k] = (int) Math.max(0, Math.min(in - 1, p));
                r.weight[j * taps + k] = w;
                sum += w;
            }
            if ((antialias || excludeOutside) && sum != 0) {
                for (int k = 0; k < taps; k++) {
                    r.weight[j * taps + k] /= sum;
                }
            }
        }
        return r;
    }

    private static double cubicKernel(double x, double a) {
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }

    /**
     * Applies this axis to {@code src} seen as {@code (outer, inLength, inner)}, giving
     * {@code (outer, outLength, inner)}.
     */
    double[] apply(double[] src, int outer, int inLength, int inner, double extrapolationValue) {
        int outLength = extrapolate.length;
        double[] dst = new double[outer * outLength * inner];
        for (int o = 0; o < outer; o++) {
            int srcBase = o * inLength * inner;
            for (int j = 0; j < outLength; j++) {
                int dstBase = (o * outLength + j) * inner;
                if (extrapolate[j]) {
                    java.util.Arrays.fill(dst, dstBase, dstBase + inner, extrapolationValue);
                    continue;
                }
                for (int t = 0; t < taps; t++) {
                    double w = weight[j * taps + t];
                    if (w == 0) {
                        continue;
                    }
                    int from = srcBase + position[j * taps + t] * inner;
                    for (int k = 0; k < inner; k++) {
                        dst[dstBase + k] += w * src[from + k];
                    }
                }
            }
        }
        return dst;
    }
}
