package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Range: {@code start + i * delta} for i below {@code max(ceil((limit - start) / delta), 0)}. */
final class Range implements Kernel {
    Range(Node node) {
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        DataType type = inputs[0].dataType();
        for (int i = 0; i < 3; i++) {
            if (inputs[i].size() != 1) {
                throw new IllegalArgumentException("input " + i + " has shape "
                        + java.util.Arrays.toString(inputs[i].dims()) + ", expected a scalar");
            }
            if (inputs[i].dataType() != type) {
                throw new IllegalArgumentException("input " + i + " is " + inputs[i].dataType() + ", expected " + type);
            }
        }
        if (type == DataType.INT64 || type == DataType.INT32 || type == DataType.INT16) {
            return new Tensor[] {integers(type, inputs[0].getLong(0), inputs[1].getLong(0), inputs[2].getLong(0))};
        }
        if (!type.isFloatingPoint()) {
            throw new UnsupportedOperationException("Range does not support " + type + " input");
        }
        double start = inputs[0].getDouble(0);
        double delta = inputs[2].getDouble(0);
        if (delta == 0) {
            throw new IllegalArgumentException("input 'delta' is 0");
        }
        long n = Math.max((long) Math.ceil((inputs[1].getDouble(0) - start) / delta), 0);
        Object data = Tensor.newArray(type, checkedCount(n));
        for (int i = 0; i < n; i++) {
            Gathers.store(type, data, i, type == DataType.DOUBLE ? start + i * delta : (float) (start + i * delta));
        }
        return new Tensor[] {Tensor.of(type, new int[] {(int) n}, data)};
    }

    private static Tensor integers(DataType type, long start, long limit, long delta) {
        if (delta == 0) {
            throw new IllegalArgumentException("input 'delta' is 0");
        }
        long span = limit - start;
        long n;
        if (delta > 0) {
            n = span > 0 ? (span - 1) / delta + 1 : 0;
        } else {
            n = span < 0 ? (span + 1) / delta + 1 : 0;
        }
        Object data = Tensor.newArray(type, checkedCount(n));
        for (int i = 0; i < n; i++) {
            Gathers.store(type, data, i, start + i * delta);
        }
        return Tensor.of(type, new int[] {(int) n}, data);
    }

    private static int checkedCount(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("range of " + n + " elements is too large");
        }
        return (int) n;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {ValueType.of(ctx.input(0).type(), -1)};
    }
}
