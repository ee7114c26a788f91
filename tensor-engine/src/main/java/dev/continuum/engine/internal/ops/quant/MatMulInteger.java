package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX MatMulInteger: {@code (A - a_zero_point) * (B - b_zero_point)} of uint8/int8 operands with
 * int32 accumulation; the zero points are scalars, or per row of A and per column of B.
 */
final class MatMulInteger implements Kernel {
    private static final String OP = "MatMulInteger";

    MatMulInteger(Node node) {
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor a = in[0];
        Tensor b = in[1];
        checkEightBit(a, "A");
        checkEightBit(b, "B");
        IntMatMul mm = IntMatMul.plan(a.dims(), b.dims());
        int[] as = mm.shiftRows(QuantType.read(a), zeroPoint(in, 2, a, "a_zero_point"), "a_zero_point");
        int[] bs = mm.shiftColumns(QuantType.read(b), zeroPoint(in, 3, b, "b_zero_point"), "b_zero_point");
        return new Tensor[] {Tensor.of(DataType.INT32, mm.outShape, mm.multiply(as, bs))};
    }

    static void checkEightBit(Tensor t, String name) {
        if (t.dataType() != DataType.UINT8 && t.dataType() != DataType.INT8) {
            throw new UnsupportedOperationException(OP + " does not support " + t.dataType() + " input '" + name + "'");
        }
    }

    /** The zero point input {@code i} as ints, or a single 0 when omitted; its type must match the data's. */
    static int[] zeroPoint(Tensor[] in, int i, Tensor data, String name) {
        Tensor zp = i < in.length ? in[i] : null;
        if (zp == null) {
            return new int[1];
        }
        if (zp.dataType() != data.dataType()) {
            throw new IllegalArgumentException("input '" + name + "' is " + zp.dataType() + " but its data is " + data.dataType());
        }
        return QuantType.read(zp);
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        int[] a = ctx.input(0).shape();
        int[] b = ctx.input(1).shape();
        if (a == null || b == null || !ctx.input(0).isStatic() || !ctx.input(1).isStatic()) {
            return new ValueType[] {new ValueType(DataType.INT32, null)};
        }
        return new ValueType[] {new ValueType(DataType.INT32, IntMatMul.plan(a, b).outShape)};
    }
}
