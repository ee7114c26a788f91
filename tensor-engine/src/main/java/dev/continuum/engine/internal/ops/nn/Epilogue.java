package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.ops.FusedActivation;

/**
 * A fused activation as the epilogue of a producing kernel sees it: when the activation is a clamp
 * (none, Relu, Clip) its bounds, so bias and activation run as one vector min/max per element.
 *
 * @param clamps true when the activation is {@code min(max(x, lo), hi)}
 */
record Epilogue(FusedActivation activation, boolean clamps, float lo, float hi) {

    /** No activation. */
    static final Epilogue NONE = of(FusedActivation.none());

    static Epilogue of(FusedActivation act) {
        return switch (act.kind()) {
            case NONE -> new Epilogue(act, true, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            case RELU -> new Epilogue(act, true, 0f, Float.POSITIVE_INFINITY);
            case CLIP -> {
                // FusedActivation keeps its bounds to itself; read them back through apply:
                // min(max(x, a), b) is min(max(x, min(a, b)), b) for every x.
                float[] probe = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
                act.apply(probe, 0, 2);
                yield new Epilogue(act, true, probe[0], probe[1]);
            }
            default -> new Epilogue(act, false, 0f, 0f);
        };
    }

    boolean isNone() {
        return activation.isNone();
    }
}
