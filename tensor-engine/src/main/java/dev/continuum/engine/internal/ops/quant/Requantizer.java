package dev.continuum.engine.internal.ops.quant;

/**
 * Turns int32 accumulators back into 8-bit values: {@code saturate(round_half_even(acc * s_in *
 * s_w / s_out) + zero_point_out)}, with the multiplier formed in float32 as the ONNX reference does.
 */
final class Requantizer {
    private Requantizer() {
    }

    static float multiplier(float inputScale, float weightScale, float outputScale) {
        return inputScale * weightScale / outputScale;
    }

    static int apply(int acc, float multiplier, int zeroPoint, QuantType type) {
        return type.saturate(Math.rint((double) acc * multiplier) + zeroPoint);
    }

    /** A scalar float parameter (a single element of any rank). */
    static float scalar(float[] v, String name) {
        if (v.length != 1) {
            throw new IllegalArgumentException("input '" + name + "' must hold one value, got " + v.length);
        }
        return v[0];
    }
}
