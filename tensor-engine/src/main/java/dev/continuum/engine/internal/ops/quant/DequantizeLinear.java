package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX DequantizeLinear: {@code y = (x - x_zero_point) * x_scale}, per tensor, per axis or per
 * block, from uint8, int8, uint16, int16 or int32, to the scale's type or {@code output_dtype}.
 */
final class DequantizeLinear implements Kernel {
    private static final String OP = "DequantizeLinear";

    private final long axis;
    private final int blockSize;
    private final DataType outputType; // null: the scale's type

    DequantizeLinear(Node node) {
        Attributes a = node.attributes();
        this.axis = a.getInt("axis", 1);
        this.blockSize = QuantAxis.blockSize(a);
        long code = a.getInt("output_dtype", 0);
        if (code != 0 && code != 1 && code != 10 && code != 16) {
            throw new IllegalArgumentException("attribute 'output_dtype' must be float32, float16 or bfloat16, got "
                    + DataType.onnxName((int) code));
        }
        this.outputType = code == 0 ? null : DataType.fromOnnx((int) code);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor scale = in[1];
        Tensor zp = in.length > 2 ? in[2] : null;
        QuantType.of(x.dataType(), OP);
        int[] xs = QuantType.read(x);
        float[] s = FloatData.read(scale, OP, "scale");
        QuantAxis qa = QuantAxis.of(x.dims(), axis, blockSize, scale.dims(), "x_scale");
        if (zp != null) {
            if (zp.dataType() != x.dataType()) {
                throw new IllegalArgumentException("input 'x_zero_point' is " + zp.dataType() + " but 'x' is " + x.dataType());
            }
            QuantAxis.checkZeroPoint(zp.dims(), scale.dims(), "x_zero_point", "x_scale");
        }
        int[] z = zp == null ? new int[s.length] : QuantType.read(zp);
        float[] y = new float[xs.length];
        int i = 0;
        for (int o = 0; o < qa.outer(); o++) {
            for (int a = 0; a < qa.axisDim(); a++) {
                for (int k = 0; k < qa.inner(); k++, i++) {
                    int p = qa.index(o, a, k);
                    y[i] = ((float) xs[i] - (float) z[p]) * s[p];
                }
            }
        }
        return new Tensor[] {FloatData.tensor(outputType != null ? outputType : scale.dataType(), x.shape(), y)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        DataType type = outputType != null ? outputType : ctx.input(1).type();
        return new ValueType[] {new ValueType(type, ctx.input(0).shape())};
    }
}
