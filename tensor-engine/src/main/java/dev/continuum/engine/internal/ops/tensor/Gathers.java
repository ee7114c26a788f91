package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Float16;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Shapes;

/**
 * Type-generic data movement over the backing arrays of tensors: index maps built per axis and a
 * gather ("take") that copies elements by a flat index map, for every array kind.
 */
final class Gathers {
    /** Marks an output position that reads no input element (a padded position). */
    static final int OUTSIDE = -1;

    private Gathers() {
    }

    /**
     * The flat input index for every position of an output of {@code outShape}, where the index is
     * the sum over axes of {@code axisOffsets[d][coordinate d]}; a negative per-axis entry makes the
     * whole position {@link #OUTSIDE}.
     */
    static int[] offsets(int[] outShape, int[][] axisOffsets) {
        int n = Shapes.size(outShape);
        int[] out = new int[n];
        int rank = outShape.length;
        if (n == 0) {
            return out;
        }
        if (rank == 0) {
            return out;
        }
        int last = outShape[rank - 1];
        int[] lastOffsets = axisOffsets[rank - 1];
        int[] counter = new int[rank];
        int pos = 0;
        while (pos < n) {
            int base = 0;
            boolean outside = false;
            for (int d = 0; d < rank - 1; d++) {
                int o = axisOffsets[d][counter[d]];
                outside |= o < 0;
                base += o;
            }
            for (int i = 0; i < last; i++) {
                int o = lastOffsets[i];
                out[pos++] = outside || o < 0 ? OUTSIDE : base + o;
            }
            for (int d = rank - 2; d >= 0; d--) {
                if (++counter[d] < outShape[d]) {
                    break;
                }
                counter[d] = 0;
            }
        }
        return out;
    }

    /** Per-axis offsets {@code i * stride} for a plain strided view of {@code shape}. */
    static int[][] stridedAxes(int[] shape, int[] strides) {
        int[][] axes = new int[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            axes[d] = new int[shape[d]];
            for (int i = 0; i < shape[d]; i++) {
                axes[d][i] = i * strides[d];
            }
        }
        return axes;
    }

    /** A new tensor of {@code shape} with {@code out[i] = src[index[i]]}. */
    static Tensor take(Tensor src, int[] shape, int[] index) {
        return Tensor.of(src.dataType(), shape, take(src.data(), index, null));
    }

    /**
     * A new array with {@code out[i] = src[index[i]]}, or {@code fill[0]} (an array of the same kind,
     * or null for zero) where the index is {@link #OUTSIDE}.
     */
    static Object take(Object src, int[] index, Object fill) {
        int n = index.length;
        if (src instanceof float[] s) {
            float f = fill == null ? 0f : ((float[]) fill)[0];
            float[] o = new float[n];
            for (int i = 0; i < n; i++) {
                o[i] = index[i] < 0 ? f : s[index[i]];
            }
            return o;
        } else if (src instanceof double[] s) {
            double f = fill == null ? 0 : ((double[]) fill)[0];
            double[] o = new double[n];
            for (int i = 0; i < n; i++) {
                o[i] = index[i] < 0 ? f : s[index[i]];
            }
            return o;
        } else if (src instanceof long[] s) {
            long f = fill == null ? 0 : ((long[]) fill)[0];
            long[] o = new long[n];
            for (int i = 0; i < n; i++) {
                o[i] = index[i] < 0 ? f : s[index[i]];
            }
            return o;
        } else if (src instanceof int[] s) {
            int f = fill == null ? 0 : ((int[]) fill)[0];
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = index[i] < 0 ? f : s[index[i]];
            }
            return o;
        } else if (src instanceof byte[] s) {
            byte f = fill == null ? 0 : ((byte[]) fill)[0];
            byte[] o = new byte[n];
            for (int i = 0; i < n; i++) {
                o[i] = index[i] < 0 ? f : s[index[i]];
            }
            return o;
        } else if (src instanceof short[] s) {
            short f = fill == null ? 0 : ((short[]) fill)[0];
            short[] o = new short[n];
            for (int i = 0; i < n; i++) {
                o[i] = index[i] < 0 ? f : s[index[i]];
            }
            return o;
        }
        throw new IllegalStateException("unexpected tensor array " + src.getClass().getSimpleName());
    }

    /** A one-element array of {@code type}'s kind holding {@code value} (converted), for {@link #take}. */
    static Object scalarArray(DataType type, double value) {
        Object a = Tensor.newArray(type, 1);
        store(type, a, 0, value);
        return a;
    }

    /** The elements of a tensor as doubles (unsigned types read as unsigned). */
    static double[] toDoubles(Tensor t) {
        if (t.data() instanceof double[] d) {
            return d;
        }
        double[] r = new double[t.size()];
        if (t.data() instanceof float[] f) {
            for (int i = 0; i < r.length; i++) {
                r[i] = f[i];
            }
            return r;
        }
        for (int i = 0; i < r.length; i++) {
            r[i] = t.getDouble(i);
        }
        return r;
    }

    /** An array of {@code type}'s kind from doubles: integers rounded half away from zero and saturated. */
    static Object fromDoubles(DataType type, double[] v) {
        if (type == DataType.DOUBLE) {
            return v;
        }
        Object a = Tensor.newArray(type, v.length);
        if (a instanceof float[] f) {
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            return f;
        }
        for (int i = 0; i < v.length; i++) {
            store(type, a, i, v[i]);
        }
        return a;
    }

    /** Stores one value into an array of {@code type}'s kind. */
    static void store(DataType type, Object a, int i, double v) {
        double r = type.isFloatingPoint() ? v : (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
        switch (type) {
            case FLOAT -> ((float[]) a)[i] = (float) v;
            case DOUBLE -> ((double[]) a)[i] = v;
            case FLOAT16 -> ((short[]) a)[i] = Float16.fromFloat((float) v);
            case BFLOAT16 -> ((short[]) a)[i] = Float16.floatToBfloat16((float) v);
            case INT64, UINT64 -> ((long[]) a)[i] = (long) r;
            case INT32 -> ((int[]) a)[i] = (int) r;
            case UINT32 -> ((int[]) a)[i] = (int) (long) Math.max(0, Math.min(4294967295.0, r));
            case INT8 -> ((byte[]) a)[i] = (byte) Math.max(-128, Math.min(127, r));
            case UINT8 -> ((byte[]) a)[i] = (byte) Math.max(0, Math.min(255, r));
            case BOOL -> ((byte[]) a)[i] = (byte) (v != 0 ? 1 : 0);
            case INT16 -> ((short[]) a)[i] = (short) Math.max(-32768, Math.min(32767, r));
            case UINT16 -> ((short[]) a)[i] = (short) Math.max(0, Math.min(65535, r));
        }
    }

    /** A copy of the shape with {@code -1} dims kept; null stays null. */
    static int[] copyOrNull(int[] shape) {
        return shape == null ? null : shape.clone();
    }
}
