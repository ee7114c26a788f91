package dev.continuum.engine;

import java.util.Arrays;

/**
 * The declared type of a model input or output: name, element type and shape. A dimension of
 * {@code -1} is dynamic (named by {@code dimNames} where the model names it); a {@code null} shape
 * means the rank itself is unknown.
 */
public record TensorInfo(String name, DataType dataType, int[] shape, String[] dimNames) {
    public TensorInfo {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        shape = shape == null ? null : shape.clone();
        dimNames = dimNames == null ? (shape == null ? null : new String[shape.length]) : dimNames.clone();
    }

    public TensorInfo(String name, DataType dataType, int[] shape) {
        this(name, dataType, shape, null);
    }

    @Override
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    @Override
    public String[] dimNames() {
        return dimNames == null ? null : dimNames.clone();
    }

    /** True when every dimension is known. */
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

    /** The shape as ONNX tools print it, e.g. {@code [N,3,224,224]} or {@code [?]}. */
    public String shapeString() {
        if (shape == null) {
            return "[unknown rank]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (shape[i] >= 0) {
                sb.append(shape[i]);
            } else {
                sb.append(dimNames[i] != null && !dimNames[i].isEmpty() ? dimNames[i] : "?");
            }
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dataType == t.dataType && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ": " + (dataType == null ? "?" : dataType) + shapeString();
    }
}
