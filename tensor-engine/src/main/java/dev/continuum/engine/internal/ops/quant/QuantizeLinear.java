package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX QuantizeLinear: {@code y = saturate(round_half_even(x / y_scale) + y_zero_point)}, per tensor,
 * per axis or per block, to uint8, int8, uint16 or int16 (the zero point's type, else
 * {@code output_dtype}, else uint8).
 */
final class QuantizeLinear implements Kernel {
    private static final String OP = "QuantizeLinear";

    private final long axis;
    private final int blockSize;
    private final QuantType outputType; // null: from the zero point, else uint8

    QuantizeLinear(Node node) {
        Attributes a = node.attributes();
        this.axis = a.getInt("axis", 1);
        this.blockSize = QuantAxis.blockSize(a);
        this.outputType = a.has("output_dtype") && a.getInt("output_dtype", 0) != 0
                ? QuantType.ofOnnx(a.getInt("output_dtype", 0), OP) : null;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor scale = in[1];
        Tensor zp = in.length > 2 ? in[2] : null;
        QuantType type = outputType(zp);
        if (type == QuantType.INT32) {
            throw new UnsupportedOperationException(OP + " does not support int32 output");
        }
        float[] xs = x.dataType() == dev.continuum.engine.DataType.INT32 ? toFloats(x.intData()) : FloatData.read(x, OP, "input");
        float[] s = FloatData.read(scale, OP, "scale");
        QuantAxis qa = QuantAxis.of(x.dims(), axis, blockSize, scale.dims(), "y_scale");
        if (zp != null) {
            QuantAxis.checkZeroPoint(zp.dims(), scale.dims(), "y_zero_point", "y_scale");
        }
        int[] z = zp == null ? new int[s.length] : QuantType.read(zp);
        int[] y = new int[xs.length];
        int i = 0;
        for (int o = 0; o < qa.outer(); o++) {
            for (int a = 0; a < qa.axisDim(); a++) {
                for (int k = 0; k < qa.inner(); k++, i++) {
                    int p = qa.index(o, a, k);
                    y[i] = type.saturate(Math.rint(xs[i] / s[p]) + z[p]);
                }
            }
        }
        return new Tensor[] {type.tensor(x.shape(), y)};
    }

    private QuantType outputType(Tensor zp) {
        if (zp == null) {
            return outputType == null ? QuantType.UINT8 : outputType;
        }
        QuantType t = QuantType.of(zp.dataType(), OP);
        if (outputType != null && outputType != t) {
            throw new IllegalArgumentException("attribute 'output_dtype' is " + outputType.dataType
                    + " but input 'y_zero_point' is " + t.dataType);
        }
        return t;
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType zp = ctx.hasInput(2) ? ctx.input(2) : null;
        var type = zp != null ? zp.type() : (outputType != null ? outputType.dataType : dev.continuum.engine.DataType.UINT8);
        return new ValueType[] {new ValueType(type, ctx.input(0).shape())};
    }
}
