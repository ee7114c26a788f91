package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class NnOps {
    private NnOps() {
    }

    public static void register(OpRegistry r) {
    }
}
