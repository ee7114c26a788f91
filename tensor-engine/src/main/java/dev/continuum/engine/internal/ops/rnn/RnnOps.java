package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class RnnOps {
    /** Since-versions of RNN, GRU and LSTM: 14 added {@code layout}, 22 only added types. */
    private static final int[] VERSIONS = {7, 14, 22};

    private RnnOps() {
    }

    public static void register(OpRegistry r) {
        r.register("RNN", VERSIONS, Rnn::new);
        r.register("GRU", VERSIONS, Gru::new);
        r.register("LSTM", VERSIONS, Lstm::new);
    }
}
