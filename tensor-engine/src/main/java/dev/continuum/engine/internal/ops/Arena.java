package dev.continuum.engine.internal.ops;

import java.util.ArrayList;
import java.util.IdentityHashMap;

/**
 * Recycles the arrays of intermediate values across runs, so a steady-state run allocates only its
 * outputs. Confined to the thread of one run at a time: kernels take arrays from it on the run's
 * calling thread, never inside a {@link ExecContext#parallelFor} body.
 *
 * <p>Arrays come back dirty: a kernel that asks with {@link #floats} must write every element; use
 * {@link #floatsZeroed} when it accumulates.
 */
public final class Arena {
    /** Free arrays of every kind; few distinct sizes live at once, so a scan is cheap. */
    private final ArrayList<Object> free = new ArrayList<>();
    /** Arrays this arena handed out and may take back. */
    private final IdentityHashMap<Object, Boolean> owned = new IdentityHashMap<>();

    public float[] floats(int n) {
        Object a = take(float[].class, n);
        return a != null ? (float[]) a : own(new float[n]);
    }

    public float[] floatsZeroed(int n) {
        float[] a = floats(n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    public long[] longs(int n) {
        Object a = take(long[].class, n);
        return a != null ? (long[]) a : own(new long[n]);
    }

    public int[] ints(int n) {
        Object a = take(int[].class, n);
        return a != null ? (int[]) a : own(new int[n]);
    }

    public byte[] bytes(int n) {
        Object a = take(byte[].class, n);
        return a != null ? (byte[]) a : own(new byte[n]);
    }

    private <T> T own(T array) {
        owned.put(array, Boolean.TRUE);
        return array;
    }

    private Object take(Class<?> kind, int n) {
        for (int i = free.size() - 1; i >= 0; i--) {
            Object a = free.get(i);
            if (a.getClass() == kind && java.lang.reflect.Array.getLength(a) == n) {
                int last = free.size() - 1;
                free.set(i, free.get(last));
                free.remove(last);
                return a;
            }
        }
        return null;
    }

    /** Takes back an array this arena handed out; other arrays are ignored. */
    public void recycle(Object array) {
        if (array != null && owned.containsKey(array)) {
            free.add(array);
        }
    }

    /** Forgets an array that leaves the run (a graph output): it will never be handed out again. */
    public void release(Object array) {
        owned.remove(array);
    }

    /** Number of arrays held for reuse; for tests. */
    public int freeCount() {
        return free.size();
    }
}
