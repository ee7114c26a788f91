package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class QuantOps {
    private QuantOps() {
    }

    public static void register(OpRegistry r) {
    }
}
