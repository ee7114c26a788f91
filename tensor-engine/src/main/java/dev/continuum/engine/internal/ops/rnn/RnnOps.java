package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class RnnOps {
    private RnnOps() {
    }

    public static void register(OpRegistry r) {
    }
}
