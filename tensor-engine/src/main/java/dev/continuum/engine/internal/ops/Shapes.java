package dev.continuum.engine.internal.ops;

import dev.continuum.engine.Tensor;
import java.util.Arrays;

/** Shape arithmetic shared by kernels: sizes, strides, axes and ONNX (numpy) broadcasting. */
public final class Shapes {
    private Shapes() {
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has too many elements");
        }
        return (int) n;
    }

    /** Row-major strides, in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    /** Product of dims in {@code [from, to)}. */
    public static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** A possibly negative axis made non-negative, or an error naming the attribute and the rank. */
    public static int axis(long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** The numpy-style broadcast of two shapes. */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("cannot broadcast " + str(a) + " with " + str(b));
            }
        }
        return out;
    }

    /** Broadcast of any number of shapes. */
    public static int[] broadcast(int[]... shapes) {
        int[] out = new int[0];
        for (int[] s : shapes) {
            out = broadcast(out, s);
        }
        return out;
    }

    /** Broadcast of partially known shapes for shape inference (-1 dims), or null if a rank is unknown. */
    public static int[] broadcastPartial(int[] a, int[] b) {
        if (a == null || b == null) {
            return null;
        }
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da == 1) {
                out[i] = db;
            } else if (db == 1) {
                out[i] = da;
            } else if (da < 0 || db < 0) {
                out[i] = Math.max(da, db) >= 0 && Math.min(da, db) < 0 ? Math.max(da, db) : -1;
            } else if (da == db) {
                out[i] = da;
            } else {
                throw new IllegalArgumentException("cannot broadcast " + str(a) + " with " + str(b));
            }
        }
        return out;
    }

    /**
     * For each flat index of {@code out}, the flat index of the broadcast input of shape {@code in}
     * (which must broadcast to {@code out}).
     */
    public static int[] broadcastIndex(int[] in, int[] out) {
        int n = size(out);
        int[] map = new int[n];
        if (Arrays.equals(in, out)) {
            for (int i = 0; i < n; i++) {
                map[i] = i;
            }
            return map;
        }
        int rank = out.length;
        int[] inStrides = new int[rank];
        int[] s = strides(in);
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - in.length);
            inStrides[i] = j >= 0 && in[j] != 1 ? s[j] : 0;
        }
        int[] counter = new int[rank];
        int idx = 0;
        for (int i = 0; i < n; i++) {
            map[i] = idx;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                idx += inStrides[d];
                if (counter[d] < out[d]) {
                    break;
                }
                idx -= inStrides[d] * counter[d];
                counter[d] = 0;
            }
        }
        return map;
    }

    /** A 1-D integer tensor (int64 or int32) as ints, rejecting values outside the int range. */
    public static int[] toInts(Tensor t, String what) {
        long[] v = toLongs(t, what);
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (int) v[i]) {
                throw new IllegalArgumentException(what + " value " + v[i] + " is out of range");
            }
            r[i] = (int) v[i];
        }
        return r;
    }

    /** An integer tensor (int64 or int32) of any rank, flattened, as longs. */
    public static long[] toLongs(Tensor t, String what) {
        switch (t.dataType()) {
            case INT64:
                return t.longData().clone();
            case INT32: {
                int[] d = t.intData();
                long[] r = new long[d.length];
                for (int i = 0; i < d.length; i++) {
                    r[i] = d[i];
                }
                return r;
            }
            default:
                throw new IllegalArgumentException(what + " must be int64 or int32, got " + t.dataType());
        }
    }
}
