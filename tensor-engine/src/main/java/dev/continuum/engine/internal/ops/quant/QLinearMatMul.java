package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX QLinearMatMul: an int32 product of the zero-point-shifted 8-bit operands, requantized to
 * the output's scale and zero point. A's scale and zero point are scalars or per row, B's scalars
 * or per column; the output's are scalars.
 * Inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
 */
final class QLinearMatMul implements Kernel {
    private static final String OP = "QLinearMatMul";

    QLinearMatMul(Node node) {
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor a = in[0];
        Tensor b = in[3];
        MatMulInteger.checkEightBit(a, "a");
        MatMulInteger.checkEightBit(b, "b");
        IntMatMul mm = IntMatMul.plan(a.dims(), b.dims());
        int[] as = mm.shiftRows(QuantType.read(a), MatMulInteger.zeroPoint(in, 2, a, "a_zero_point"), "a_zero_point");
        int[] bs = mm.shiftColumns(QuantType.read(b), MatMulInteger.zeroPoint(in, 5, b, "b_zero_point"), "b_zero_point");
        float[] aScale = FloatData.read(in[1], OP, "a_scale");
        float[] bScale = FloatData.read(in[4], OP, "b_scale");
        IntMatMul.checkParam(aScale.length, mm.m, "a_scale", "rows of A");
        IntMatMul.checkParam(bScale.length, mm.n, "b_scale", "columns of B");
        float yScale = Requantizer.scalar(FloatData.read(in[6], OP, "y_scale"), "y_scale");
        Tensor yZp = in.length > 7 ? in[7] : null;
        QuantType outType = yZp == null ? QuantType.of(a.dataType(), OP) : QuantType.of(yZp.dataType(), OP);
        int yZero = yZp == null ? 0 : QuantType.read(yZp)[0];
        int[] acc = mm.multiply(as, bs);
        int[] y = new int[acc.length];
        for (int i = 0; i < acc.length; i++) {
            int row = (i / mm.n) % mm.m;
            int col = i % mm.n;
            float mult = Requantizer.multiplier(aScale[aScale.length == 1 ? 0 : row], bScale[bScale.length == 1 ? 0 : col], yScale);
            y[i] = Requantizer.apply(acc[i], mult, yZero, outType);
        }
        return new Tensor[] {outType.tensor(mm.outShape, y)};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        DataType type = ctx.hasInput(7) ? ctx.input(7).type() : ctx.input(0).type();
        int[] a = ctx.input(0).shape();
        int[] b = ctx.input(3).shape();
        if (!ctx.input(0).isStatic() || !ctx.input(3).isStatic()) {
            return new ValueType[] {new ValueType(type, null)};
        }
        return new ValueType[] {new ValueType(type, IntMatMul.plan(a, b).outShape)};
    }
}
