package dev.continuum.engine.internal.ops;

/** The one place where every kernel package adds its registrations. */
public final class Ops {
    private static final OpRegistry DEFAULT = build();

    private Ops() {
    }

    /** The registry with every kernel the engine ships. */
    public static OpRegistry registry() {
        return DEFAULT;
    }

    private static OpRegistry build() {
        OpRegistry r = new OpRegistry();
        dev.continuum.engine.internal.ops.math.MathOps.register(r);
        dev.continuum.engine.internal.ops.tensor.TensorOps.register(r);
        dev.continuum.engine.internal.ops.nn.NnOps.register(r);
        dev.continuum.engine.internal.ops.rnn.RnnOps.register(r);
        dev.continuum.engine.internal.ops.quant.QuantOps.register(r);
        return r;
    }
}
