package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX DynamicQuantizeLinear: uint8 quantization of a float tensor over its own range widened to
 * include 0. {@code scale = (max - min) / 255} (1 when x is all zeros, as the ONNX reference does),
 * {@code zero_point = saturate(round(-min / scale))}, {@code y = saturate(round(x / scale) + zero_point)},
 * rounding half to even.
 */
final class DynamicQuantizeLinear implements Kernel {

    DynamicQuantizeLinear(Node node) {
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.dataType() != DataType.FLOAT) {
            throw new UnsupportedOperationException("DynamicQuantizeLinear does not support " + x.dataType() + " input");
        }
        float[] v = x.floatData();
        float min = 0f;
        float max = 0f;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        float scale = max == min ? 1f : (max - min) / 255f;
        QuantType u8 = QuantType.UINT8;
        float initialZeroPoint = 0f - min / scale;
        int zeroPoint = u8.saturate(Math.max(0f, Math.min(255f, initialZeroPoint)));
        int[] y = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = u8.saturate(Math.rint(v[i] / scale) + zeroPoint);
        }
        return new Tensor[] {
            u8.tensor(x.shape(), y),
            Tensor.ofFloats(new int[0], scale),
            u8.tensor(new int[0], new int[] {zeroPoint})
        };
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {
            new ValueType(DataType.UINT8, ctx.input(0).shape()),
            ValueType.of(DataType.FLOAT),
            ValueType.of(DataType.UINT8)
        };
    }
}
