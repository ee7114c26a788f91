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
    // free arrays per kind; few distinct sizes are free at once, so a scan is cheap
    private final ArrayList<float[]> freeFloats = new ArrayList<>();
    private final ArrayList<long[]> freeLongs = new ArrayList<>();
    private final ArrayList<int[]> freeInts = new ArrayList<>();
    private final ArrayList<byte[]> freeBytes = new ArrayList<>();
    private final ArrayList<double[]> freeDoubles = new ArrayList<>();
    private final ArrayList<short[]> freeShorts = new ArrayList<>();
    /** Arrays this arena handed out and may take back. */
    private final IdentityHashMap<Object, Boolean> owned = new IdentityHashMap<>();
    /** Where arrays this arena did not hand out are taken back or released, if anywhere. */
    private Arena side;

    /**
     * Makes {@code side} take back (and release) the arrays it handed out when they are given to this
     * arena: a step that runs on another thread beside this arena's takes its arrays from a second
     * arena, and the run returns them here with the rest. Neither arena may be in use on another
     * thread when arrays come back.
     */
    public void takeBackFor(Arena side) {
        this.side = side;
    }

    public float[] floats(int n) {
        for (int i = freeFloats.size() - 1; i >= 0; i--) {
            if (freeFloats.get(i).length == n) {
                return removeAt(freeFloats, i);
            }
        }
        return own(new float[n]);
    }

    public float[] floatsZeroed(int n) {
        float[] a = floats(n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    public long[] longs(int n) {
        for (int i = freeLongs.size() - 1; i >= 0; i--) {
            if (freeLongs.get(i).length == n) {
                return removeAt(freeLongs, i);
            }
        }
        return own(new long[n]);
    }

    public int[] ints(int n) {
        for (int i = freeInts.size() - 1; i >= 0; i--) {
            if (freeInts.get(i).length == n) {
                return removeAt(freeInts, i);
            }
        }
        return own(new int[n]);
    }

    public byte[] bytes(int n) {
        for (int i = freeBytes.size() - 1; i >= 0; i--) {
            if (freeBytes.get(i).length == n) {
                return removeAt(freeBytes, i);
            }
        }
        return own(new byte[n]);
    }

    public double[] doubles(int n) {
        for (int i = freeDoubles.size() - 1; i >= 0; i--) {
            if (freeDoubles.get(i).length == n) {
                return removeAt(freeDoubles, i);
            }
        }
        return own(new double[n]);
    }

    public short[] shorts(int n) {
        for (int i = freeShorts.size() - 1; i >= 0; i--) {
            if (freeShorts.get(i).length == n) {
                return removeAt(freeShorts, i);
            }
        }
        return own(new short[n]);
    }

    private static <T> T removeAt(ArrayList<T> list, int i) {
        int last = list.size() - 1;
        T a = list.get(i);
        list.set(i, list.get(last));
        list.remove(last);
        return a;
    }

    private <T> T own(T array) {
        owned.put(array, Boolean.TRUE);
        return array;
    }

    /** Takes back an array this arena handed out; other arrays are ignored. */
    public void recycle(Object array) {
        if (array == null) {
            return;
        }
        if (!owned.containsKey(array)) {
            if (side != null) {
                side.recycle(array);
            }
            return;
        }
        if (array instanceof float[] f) {
            freeFloats.add(f);
        } else if (array instanceof long[] l) {
            freeLongs.add(l);
        } else if (array instanceof int[] i) {
            freeInts.add(i);
        } else if (array instanceof byte[] b) {
            freeBytes.add(b);
        } else if (array instanceof double[] d) {
            freeDoubles.add(d);
        } else if (array instanceof short[] s) {
            freeShorts.add(s);
        }
    }

    /**
     * Drops every array this arena holds or has handed out, so that a closed session's arrays become
     * garbage even while the thread that ran it lives on. Must not run beside a use of this arena.
     */
    public void clear() {
        freeFloats.clear();
        freeLongs.clear();
        freeInts.clear();
        freeBytes.clear();
        freeDoubles.clear();
        freeShorts.clear();
        owned.clear();
    }

    /** Bytes in the free arrays this arena holds for the next run (for tests). */
    public long heldBytes() {
        long bytes = 0;
        for (float[] a : freeFloats) {
            bytes += 4L * a.length;
        }
        for (long[] a : freeLongs) {
            bytes += 8L * a.length;
        }
        for (int[] a : freeInts) {
            bytes += 4L * a.length;
        }
        for (byte[] a : freeBytes) {
            bytes += a.length;
        }
        for (double[] a : freeDoubles) {
            bytes += 8L * a.length;
        }
        for (short[] a : freeShorts) {
            bytes += 2L * a.length;
        }
        return bytes;
    }

    /** Forgets an array that leaves the run (a graph output): it will never be handed out again. */
    public void release(Object array) {
        if (owned.remove(array) == null && side != null) {
            side.release(array);
        }
    }
}
