package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX ConvInteger: convolution of {@code x - x_zero_point} by {@code w - w_zero_point} (8-bit
 * operands) with int32 output; x's zero point is a scalar, w's a scalar or one per output channel.
 */
final class ConvInteger implements Kernel {
    private final ConvAttributes attrs;

    ConvInteger(Node node) {
        this.attrs = ConvAttributes.read(node);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor w = in[1];
        MatMulInteger.checkEightBit(x, "x");
        MatMulInteger.checkEightBit(w, "w");
        ConvGeometry g = ConvGeometry.of(attrs, x.dims(), w.dims());
        int[] xs = shift(QuantType.read(x), MatMulInteger.zeroPoint(in, 2, x, "x_zero_point"), 1, "x_zero_point");
        int[] ws = shift(QuantType.read(w), MatMulInteger.zeroPoint(in, 3, w, "w_zero_point"), g.outChannels, "w_zero_point");
        return new Tensor[] {Tensor.of(DataType.INT32, g.outputShape(), IntConv.convolve(ctx, g, xs, ws, null))};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {new ValueType(DataType.INT32, outputShape(attrs, ctx))};
    }

    /** The output shape when x and w are fully known, else null. */
    static int[] outputShape(ConvAttributes attrs, TypeContext ctx) {
        if (!ctx.input(0).isStatic() || !ctx.input(1).isStatic()) {
            return null;
        }
        return ConvGeometry.of(attrs, ctx.input(0).shape(), ctx.input(1).shape()).outputShape();
    }

    /**
     * Subtracts a zero point that is a scalar or, when {@code channels} > 1, one value per leading
     * index (output channel of w).
     */
    static int[] shift(int[] v, int[] zeroPoint, int channels, String name) {
        IntMatMul.checkParam(zeroPoint.length, channels, name, channels > 1 ? "output channel" : "tensor");
        int per = channels == 0 ? 0 : v.length / channels;
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] - zeroPoint[zeroPoint.length == 1 ? 0 : i / per];
        }
        return out;
    }
}
