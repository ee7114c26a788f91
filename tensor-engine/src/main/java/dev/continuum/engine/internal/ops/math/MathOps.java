package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class MathOps {
    private MathOps() {
    }

    public static void register(OpRegistry r) {
    }
}
