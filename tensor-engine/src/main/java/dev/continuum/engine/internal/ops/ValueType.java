package dev.continuum.engine.internal.ops;

import dev.continuum.engine.DataType;
import java.util.Arrays;

/**
 * What shape inference knows of a value: its element type (null when unknown) and its shape
 * ({@code null} when the rank is unknown; a dimension of -1 when that dimension is unknown).
 */
public record ValueType(DataType type, int[] shape) {

    public static ValueType unknown() {
        return new ValueType(null, null);
    }

    public static ValueType of(DataType type, int... shape) {
        return new ValueType(type, shape);
    }

    public boolean hasRank() {
        return shape != null;
    }

    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    public boolean isStatic() {
        if (shape == null) {
            return false;
        }
        for (int d : shape) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueType v && v.type == type && Arrays.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + (type == null ? 0 : type.hashCode());
    }

    @Override
    public String toString() {
        return (type == null ? "?" : type.toString()) + (shape == null ? "[?rank]" : Arrays.toString(shape));
    }
}
