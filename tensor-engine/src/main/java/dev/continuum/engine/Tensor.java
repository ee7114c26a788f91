package dev.continuum.engine;

import java.util.Arrays;

/**
 * A dense, row-major tensor: an element type, a shape and a flat primitive array.
 *
 * <p>Tensors are values: kernels never write into a tensor they received. The accessors such as
 * {@link #floatData()} return the backing array without copying, for speed; callers that hand a
 * tensor to a session must not change its array while the run is going on.
 */
public final class Tensor {
    private final DataType type;
    private final int[] shape;
    private final int size;
    private final Object data;

    private Tensor(DataType type, int[] shape, Object data) {
        this.type = type;
        this.shape = shape;
        this.size = sizeOf(shape);
        this.data = data;
    }

    /**
     * A tensor over an existing array, which must be the array kind of {@code type} (see {@link
     * DataType}) and hold exactly as many elements as the shape.
     */
    public static Tensor of(DataType type, int[] shape, Object data) {
        int[] s = checkShape(shape);
        int n = sizeOf(s);
        Class<?> expected = arrayClass(type);
        if (data == null || data.getClass() != expected) {
            throw new IllegalArgumentException("a " + type + " tensor needs a " + expected.getSimpleName()
                    + " array, got " + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        int length = java.lang.reflect.Array.getLength(data);
        if (length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds " + n
                    + " elements but the data array has " + length);
        }
        return new Tensor(type, s, data);
    }

    public static Tensor ofFloats(int[] shape, float... data) {
        return of(DataType.FLOAT, shape, data);
    }

    public static Tensor ofDoubles(int[] shape, double... data) {
        return of(DataType.DOUBLE, shape, data);
    }

    public static Tensor ofLongs(int[] shape, long... data) {
        return of(DataType.INT64, shape, data);
    }

    public static Tensor ofInts(int[] shape, int... data) {
        return of(DataType.INT32, shape, data);
    }

    public static Tensor ofBools(int[] shape, boolean... data) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            b[i] = data[i] ? (byte) 1 : 0;
        }
        return of(DataType.BOOL, shape, b);
    }

    /** A tensor of the given type and shape filled with zeros (false for BOOL). */
    public static Tensor zeros(DataType type, int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(type, s, newArray(type, sizeOf(s)));
    }

    /** A fresh zeroed primitive array of {@code type}'s array kind. */
    public static Object newArray(DataType type, int length) {
        return switch (type) {
            case FLOAT -> new float[length];
            case DOUBLE -> new double[length];
            case INT64, UINT64 -> new long[length];
            case INT32, UINT32 -> new int[length];
            case INT8, UINT8, BOOL -> new byte[length];
            case INT16, UINT16, FLOAT16, BFLOAT16 -> new short[length];
        };
    }

    static Class<?> arrayClass(DataType type) {
        return newArray(type, 0).getClass();
    }

    public DataType dataType() {
        return type;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape array itself, for engine internals that promise not to modify it. */
    public int[] dims() {
        return shape;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    public Object data() {
        return data;
    }

    public float[] floatData() {
        return (float[]) expect(DataType.FLOAT);
    }

    public double[] doubleData() {
        return (double[]) expect(DataType.DOUBLE);
    }

    public long[] longData() {
        if (type != DataType.INT64 && type != DataType.UINT64) {
            throw wrongAccessor("long");
        }
        return (long[]) data;
    }

    public int[] intData() {
        if (type != DataType.INT32 && type != DataType.UINT32) {
            throw wrongAccessor("int");
        }
        return (int[]) data;
    }

    public byte[] byteData() {
        if (type != DataType.INT8 && type != DataType.UINT8 && type != DataType.BOOL) {
            throw wrongAccessor("byte");
        }
        return (byte[]) data;
    }

    public short[] shortData() {
        if (!(data instanceof short[] s)) {
            throw wrongAccessor("short");
        }
        return s;
    }

    private Object expect(DataType t) {
        if (type != t) {
            throw wrongAccessor(t.toString());
        }
        return data;
    }

    private IllegalStateException wrongAccessor(String wanted) {
        return new IllegalStateException("tensor is " + type + ", not " + wanted);
    }

    /** Element {@code i} (row-major) as a double; unsigned types read as unsigned. */
    public double getDouble(int i) {
        return switch (type) {
            case FLOAT -> ((float[]) data)[i];
            case DOUBLE -> ((double[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case UINT64 -> unsignedLongToDouble(((long[]) data)[i]);
            case INT32 -> ((int[]) data)[i];
            case UINT32 -> Integer.toUnsignedLong(((int[]) data)[i]);
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case INT16 -> ((short[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xFFFF;
            case FLOAT16 -> Float16.toFloat(((short[]) data)[i]);
            case BFLOAT16 -> Float16.bfloat16ToFloat(((short[]) data)[i]);
        };
    }

    /** Element {@code i} (row-major) as a long; floating-point values are truncated toward zero. */
    public long getLong(int i) {
        return switch (type) {
            case INT64, UINT64 -> ((long[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case UINT32 -> Integer.toUnsignedLong(((int[]) data)[i]);
            case INT8, BOOL -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case INT16 -> ((short[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xFFFF;
            default -> (long) getDouble(i);
        };
    }

    private static double unsignedLongToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    /** The same data seen with another shape of the same element count. */
    public Tensor reshape(int... newShape) {
        int[] s = checkShape(newShape);
        if (sizeOf(s) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(s));
        }
        return new Tensor(type, s, data);
    }

    private static int[] checkShape(int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    static int sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(type).append(Arrays.toString(shape)).append(": ");
        int n = Math.min(size, 8);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ");
            sb.append(type.isFloatingPoint() ? String.valueOf(getDouble(i)) : String.valueOf(getLong(i)));
        }
        return sb.append(size > n ? ", ...)" : ")").toString();
    }
}
