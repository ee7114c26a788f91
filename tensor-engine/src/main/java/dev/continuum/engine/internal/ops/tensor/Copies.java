package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;

/**
 * Data movement without per-element index maps: a strided view of an array copied out row-major,
 * after dropping unit dims and merging dims that are contiguous in the source, so that the longest
 * contiguous inner run moves with one {@link System#arraycopy}. A transposed float inner pair is
 * copied in cache-sized tiles.
 */
final class Copies {
    private static final int TILE = 16;

    private Copies() {
    }

    /** An array of {@code type}'s kind for n elements, from the arena when there is one; contents undefined. */
    static Object alloc(ExecContext ctx, DataType type, int n) {
        Arena a = ctx.arena();
        if (a == null) {
            return Tensor.newArray(type, n);
        }
        return switch (type) {
            case FLOAT -> a.floats(n);
            case INT64, UINT64 -> a.longs(n);
            case INT32, UINT32 -> a.ints(n);
            case INT8, UINT8, BOOL -> a.bytes(n);
            default -> Tensor.newArray(type, n);
        };
    }

    /**
     * Writes the view of {@code src} with element {@code (i0, i1, ...)} at {@code srcOff + sum(i_d *
     * strides[d])} (strides may be 0 or negative) into {@code dst} row-major from {@code dstOff}.
     */
    static void strided(Object src, int srcOff, int[] dims, int[] strides, Object dst, int dstOff) {
        int rank = dims.length;
        int[] d = new int[rank];
        int[] s = new int[rank];
        int r = 0;
        for (int i = 0; i < rank; i++) {
            if (dims[i] == 0) {
                return;
            }
            if (dims[i] == 1) {
                continue;
            }
            if (r > 0 && s[r - 1] == strides[i] * dims[i]) {
                d[r - 1] *= dims[i];
                s[r - 1] = strides[i];
            } else {
                d[r] = dims[i];
                s[r] = strides[i];
                r++;
            }
        }
        if (r == 0) {
            System.arraycopy(src, srcOff, dst, dstOff, 1);
            return;
        }
        int inner = d[r - 1];
        int step = s[r - 1];
        if (r >= 2 && step != 1 && s[r - 2] == 1 && src instanceof float[] f && d[r - 2] >= TILE && inner >= TILE) {
            transposeTiles(f, srcOff, d, s, r, (float[]) dst, dstOff);
            return;
        }
        int outer = 1;
        for (int i = 0; i < r - 1; i++) {
            outer *= d[i];
        }
        int[] counter = new int[Math.max(0, r - 1)];
        int so = srcOff;
        int o = dstOff;
        for (int k = 0; k < outer; k++) {
            run(src, so, step, dst, o, inner);
            o += inner;
            for (int i = r - 2; i >= 0; i--) {
                so += s[i];
                if (++counter[i] < d[i]) {
                    break;
                }
                so -= s[i] * d[i];
                counter[i] = 0;
            }
        }
    }

    /** The last two merged dims are (C with source stride 1, R with source stride s[r-1]): tiled 2-D transposes. */
    private static void transposeTiles(float[] src, int srcOff, int[] d, int[] s, int r, float[] dst, int dstOff) {
        int rows = d[r - 2];
        int cols = d[r - 1];
        int colStride = s[r - 1];
        int outer = 1;
        for (int i = 0; i < r - 2; i++) {
            outer *= d[i];
        }
        int[] counter = new int[r - 2];
        int so = srcOff;
        int o = dstOff;
        for (int k = 0; k < outer; k++) {
            for (int i0 = 0; i0 < rows; i0 += TILE) {
                int i1 = Math.min(rows, i0 + TILE);
                for (int j0 = 0; j0 < cols; j0 += TILE) {
                    int j1 = Math.min(cols, j0 + TILE);
                    for (int i = i0; i < i1; i++) {
                        int out = o + i * cols;
                        int in = so + i;
                        for (int j = j0; j < j1; j++) {
                            dst[out + j] = src[in + j * colStride];
                        }
                    }
                }
            }
            o += rows * cols;
            for (int i = r - 3; i >= 0; i--) {
                so += s[i];
                if (++counter[i] < d[i]) {
                    break;
                }
                so -= s[i] * d[i];
                counter[i] = 0;
            }
        }
    }

    /** {@code dst[dOff + i] = src[sOff + i * step]} for i below n, for every array kind. */
    static void run(Object src, int sOff, int step, Object dst, int dOff, int n) {
        if (step == 1 || n == 1) {
            System.arraycopy(src, sOff, dst, dOff, n);
        } else if (src instanceof float[] a) {
            float[] b = (float[]) dst;
            for (int i = 0; i < n; i++) {
                b[dOff + i] = a[sOff + i * step];
            }
        } else if (src instanceof long[] a) {
            long[] b = (long[]) dst;
            for (int i = 0; i < n; i++) {
                b[dOff + i] = a[sOff + i * step];
            }
        } else if (src instanceof int[] a) {
            int[] b = (int[]) dst;
            for (int i = 0; i < n; i++) {
                b[dOff + i] = a[sOff + i * step];
            }
        } else if (src instanceof byte[] a) {
            byte[] b = (byte[]) dst;
            for (int i = 0; i < n; i++) {
                b[dOff + i] = a[sOff + i * step];
            }
        } else if (src instanceof short[] a) {
            short[] b = (short[]) dst;
            for (int i = 0; i < n; i++) {
                b[dOff + i] = a[sOff + i * step];
            }
        } else if (src instanceof double[] a) {
            double[] b = (double[]) dst;
            for (int i = 0; i < n; i++) {
                b[dOff + i] = a[sOff + i * step];
            }
        } else {
            throw new IllegalStateException("unexpected tensor array " + src.getClass().getSimpleName());
        }
    }
}
