package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class QuantOps {
    /**
     * Since-versions of QuantizeLinear and DequantizeLinear: 13 added per-axis, 19 float8 and
     * saturate, 21 blocks, int16 and output_dtype (Quantize), 23-25 further types and attributes.
     */
    private static final int[] QDQ_VERSIONS = {10, 13, 19, 21, 23, 24, 25};

    private QuantOps() {
    }

    public static void register(OpRegistry r) {
        r.register("QuantizeLinear", QDQ_VERSIONS, QuantizeLinear::new);
        r.register("DequantizeLinear", QDQ_VERSIONS, DequantizeLinear::new);
        r.register("DynamicQuantizeLinear", 11, DynamicQuantizeLinear::new);
        r.register("MatMulInteger", 10, MatMulInteger::new);
        r.register("ConvInteger", 10, ConvInteger::new);
        r.register("QLinearConv", 10, QLinearConv::new);
        r.register("QLinearMatMul", new int[] {10, 21}, QLinearMatMul::new);
    }
}
