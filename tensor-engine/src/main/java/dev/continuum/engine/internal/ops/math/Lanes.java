package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Float16;
import dev.continuum.engine.Tensor;

/**
 * Conversions between tensors and the flat working arrays of a {@link Lane}. A tensor already in its
 * lane's array kind is returned without copying: callers must treat the returned arrays as read-only.
 */
final class Lanes {
    private static final double TWO_POW_63 = 9.223372036854775808E18;

    private Lanes() {
    }

    /** The tensor's data in its own lane: float[], double[] or long[]. */
    static Object wide(Tensor t) {
        return switch (Lane.of(t.dataType())) {
            case FLOAT -> floats(t);
            case DOUBLE -> doubles(t);
            case LONG -> longs(t);
        };
    }

    /** A FLOAT-lane tensor (float32, float16, bfloat16) as floats. */
    static float[] floats(Tensor t) {
        switch (t.dataType()) {
            case FLOAT:
                return t.floatData();
            case FLOAT16: {
                short[] s = t.shortData();
                float[] r = new float[s.length];
                for (int i = 0; i < s.length; i++) {
                    r[i] = Float16.toFloat(s[i]);
                }
                return r;
            }
            case BFLOAT16: {
                short[] s = t.shortData();
                float[] r = new float[s.length];
                for (int i = 0; i < s.length; i++) {
                    r[i] = Float16.bfloat16ToFloat(s[i]);
                }
                return r;
            }
            default:
                throw new IllegalStateException(t.dataType() + " is not in the float lane");
        }
    }

    /** Any tensor as doubles (unsigned types read as unsigned). */
    static double[] doubles(Tensor t) {
        switch (t.dataType()) {
            case DOUBLE:
                return t.doubleData();
            case FLOAT: {
                float[] f = t.floatData();
                double[] r = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    r[i] = f[i];
                }
                return r;
            }
            case UINT64: {
                long[] l = t.longData();
                double[] r = new double[l.length];
                for (int i = 0; i < l.length; i++) {
                    r[i] = unsignedToDouble(l[i]);
                }
                return r;
            }
            default: {
                double[] r = new double[t.size()];
                if (Lane.of(t.dataType()) == Lane.FLOAT) {
                    float[] f = floats(t);
                    for (int i = 0; i < r.length; i++) {
                        r[i] = f[i];
                    }
                } else {
                    long[] l = longs(t);
                    for (int i = 0; i < r.length; i++) {
                        r[i] = l[i];
                    }
                }
                return r;
            }
        }
    }

    /** A LONG-lane tensor (integers, bool) as longs; unsigned types below 64 bits are zero-extended. */
    static long[] longs(Tensor t) {
        DataType type = t.dataType();
        switch (type) {
            case INT64:
            case UINT64:
                return t.longData();
            case INT32:
            case UINT32: {
                int[] d = t.intData();
                long[] r = new long[d.length];
                boolean unsigned = type == DataType.UINT32;
                for (int i = 0; i < d.length; i++) {
                    r[i] = unsigned ? Integer.toUnsignedLong(d[i]) : d[i];
                }
                return r;
            }
            case INT8:
            case UINT8:
            case BOOL: {
                byte[] d = t.byteData();
                long[] r = new long[d.length];
                int mask = type == DataType.UINT8 ? 0xFF : -1;
                for (int i = 0; i < d.length; i++) {
                    r[i] = d[i] & mask;
                }
                return r;
            }
            case INT16:
            case UINT16: {
                short[] d = t.shortData();
                long[] r = new long[d.length];
                int mask = type == DataType.UINT16 ? 0xFFFF : -1;
                for (int i = 0; i < d.length; i++) {
                    r[i] = d[i] & mask;
                }
                return r;
            }
            default:
                throw new IllegalStateException(type + " is not in the long lane");
        }
    }

    /** A tensor of {@code type} (any lane) from lane data of the type's own lane. */
    static Tensor fromLane(DataType type, int[] shape, Object wide) {
        return switch (Lane.of(type)) {
            case FLOAT -> fromFloats(type, shape, (float[]) wide);
            case DOUBLE -> Tensor.of(type, shape, wide);
            case LONG -> fromLongs(type, shape, (long[]) wide);
        };
    }

    /** A float32, float16 or bfloat16 tensor from floats (rounded to nearest even for 16-bit types). */
    static Tensor fromFloats(DataType type, int[] shape, float[] v) {
        switch (type) {
            case FLOAT:
                return Tensor.of(type, shape, v);
            case FLOAT16: {
                short[] s = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    s[i] = Float16.fromFloat(v[i]);
                }
                return Tensor.of(type, shape, s);
            }
            case BFLOAT16: {
                short[] s = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    s[i] = Float16.floatToBfloat16(v[i]);
                }
                return Tensor.of(type, shape, s);
            }
            default:
                throw new IllegalStateException(type + " is not in the float lane");
        }
    }

    /** An integer or bool tensor from longs, keeping the low bits (bool: nonzero is true). */
    static Tensor fromLongs(DataType type, int[] shape, long[] v) {
        switch (type) {
            case INT64:
            case UINT64:
                return Tensor.of(type, shape, v);
            case INT32:
            case UINT32: {
                int[] r = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (int) v[i];
                }
                return Tensor.of(type, shape, r);
            }
            case INT8:
            case UINT8: {
                byte[] r = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (byte) v[i];
                }
                return Tensor.of(type, shape, r);
            }
            case BOOL: {
                byte[] r = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = v[i] != 0 ? (byte) 1 : 0;
                }
                return Tensor.of(type, shape, r);
            }
            case INT16:
            case UINT16: {
                short[] r = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = (short) v[i];
                }
                return Tensor.of(type, shape, r);
            }
            default:
                throw new IllegalStateException(type + " is not in the long lane");
        }
    }

    /** A new zeroed array of the lane's kind. */
    static Object newArray(Lane lane, int n) {
        return switch (lane) {
            case FLOAT -> new float[n];
            case DOUBLE -> new double[n];
            case LONG -> new long[n];
        };
    }

    static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((double) (v >>> 1) * 2.0) + (v & 1);
    }

    /** A double truncated toward zero into an unsigned 64-bit pattern (NaN gives 0). */
    static long doubleToUnsigned(double d) {
        return d >= TWO_POW_63 ? (long) (d - TWO_POW_63) + Long.MIN_VALUE : (long) d;
    }
}
