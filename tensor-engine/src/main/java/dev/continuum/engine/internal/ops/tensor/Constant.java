package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Constant: exactly one of {@code value}, {@code value_float(s)}, {@code value_int(s)}; string
 * and sparse values are not supported.
 */
final class Constant implements Kernel {
    private final Tensor value;

    Constant(Node node) {
        Attributes a = node.attributes();
        for (String name : new String[] {"value_string", "value_strings", "sparse_value"}) {
            if (a.has(name)) {
                throw new UnsupportedOperationException("Constant does not support attribute '" + name + "'");
            }
        }
        int given = 0;
        for (String name : new String[] {"value", "value_float", "value_floats", "value_int", "value_ints"}) {
            given += a.has(name) ? 1 : 0;
        }
        if (given != 1) {
            throw new IllegalArgumentException("exactly one value attribute is expected, got " + given + " of "
                    + a.names());
        }
        this.value = read(a);
    }

    private static Tensor read(Attributes a) {
        if (a.has("value")) {
            return a.getTensor("value");
        } else if (a.has("value_float")) {
            return Tensor.ofFloats(new int[0], a.getFloat("value_float", 0f));
        } else if (a.has("value_floats")) {
            float[] v = a.getFloats("value_floats", new float[0]);
            return Tensor.ofFloats(new int[] {v.length}, v);
        } else if (a.has("value_int")) {
            return Tensor.ofLongs(new int[0], a.getInt("value_int", 0));
        }
        long[] v = a.getInts("value_ints", new long[0]);
        return Tensor.ofLongs(new int[] {v.length}, v);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        return new Tensor[] {value};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return new ValueType[] {ValueType.of(value.dataType(), value.shape())};
    }
}
