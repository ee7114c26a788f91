package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX QLinearConv: an int32 convolution of the zero-point-shifted 8-bit x and w plus an int32
 * bias, requantized to y's scale and zero point. w's scale and zero point are scalars or one per
 * output channel. Inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
 * y_zero_point, B.
 */
final class QLinearConv implements Kernel {
    private static final String OP = "QLinearConv";

    private final ConvAttributes attrs;

    QLinearConv(Node node) {
        this.attrs = ConvAttributes.read(node);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor w = in[3];
        MatMulInteger.checkEightBit(x, "x");
        MatMulInteger.checkEightBit(w, "w");
        ConvGeometry g = ConvGeometry.of(attrs, x.dims(), w.dims());
        int[] xs = ConvInteger.shift(QuantType.read(x), MatMulInteger.zeroPoint(in, 2, x, "x_zero_point"), 1, "x_zero_point");
        int[] ws = ConvInteger.shift(QuantType.read(w), MatMulInteger.zeroPoint(in, 5, w, "w_zero_point"),
                g.outChannels, "w_zero_point");
        float xScale = Requantizer.scalar(FloatData.read(in[1], OP, "x_scale"), "x_scale");
        float[] wScale = FloatData.read(in[4], OP, "w_scale");
        IntMatMul.checkParam(wScale.length, g.outChannels, "w_scale", "output channel");
        float yScale = Requantizer.scalar(FloatData.read(in[6], OP, "y_scale"), "y_scale");
        Tensor yZp = in.length > 7 ? in[7] : null;
        QuantType outType = QuantType.of(yZp == null ? x.dataType() : yZp.dataType(), OP);
        int yZero = yZp == null ? 0 : QuantType.read(yZp)[0];
        int[] acc = IntConv.convolve(ctx, g, xs, ws, bias(in, g.outChannels));
        int outSize = Shapes.size(g.out);
        int[] y = new int[acc.length];
        for (int i = 0; i < acc.length; i++) {
            int m = (i / Math.max(1, outSize)) % g.outChannels;
            float mult = Requantizer.multiplier(xScale, wScale[wScale.length == 1 ? 0 : m], yScale);
            y[i] = Requantizer.apply(acc[i], mult, yZero, outType);
        }
        return new Tensor[] {outType.tensor(g.outputShape(), y)};
    }

    private static int[] bias(Tensor[] in, int outChannels) {
        Tensor b = in.length > 8 ? in[8] : null;
        if (b == null) {
            return null;
        }
        if (b.dataType() != DataType.INT32 || b.rank() != 1 || b.dim(0) != outChannels) {
            throw new IllegalArgumentException("input 'B' is " + b.dataType() + Shapes.str(b.dims())
                    + ", expected int32[" + outChannels + "]");
        }
        return b.intData();
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        DataType type = ctx.hasInput(7) ? ctx.input(7).type() : ctx.input(0).type();
        if (!ctx.input(0).isStatic() || !ctx.input(3).isStatic()) {
            return new ValueType[] {new ValueType(type, null)};
        }
        return new ValueType[] {new ValueType(type, ConvGeometry.of(attrs, ctx.input(0).shape(), ctx.input(3).shape()).outputShape())};
    }
}
