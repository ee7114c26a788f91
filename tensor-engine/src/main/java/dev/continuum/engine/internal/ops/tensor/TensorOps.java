package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class TensorOps {
    private TensorOps() {
    }

    public static void register(OpRegistry r) {
    }
}
