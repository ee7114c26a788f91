package dev.continuum.engine.internal.ops.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Winograd3x3}: {@link NnLoops#winogradInput} and
 * {@link NnLoops#winogradOutput} a vector of tiles at a time (tiles side by side in a row of tiles are
 * lanes side by side, so every load is contiguous).
 */
final class VectorWinograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lanes 0, 0, 1, 1, ...: the first half of a vector, each lane twice. */
    private static final VectorShuffle<Float> LOWER_TWICE = VectorShuffle.fromOp(S, i -> i / 2);
    /** Lanes L/2, L/2, L/2 + 1, ...: the second half, each lane twice. */
    private static final VectorShuffle<Float> UPPER_TWICE = VectorShuffle.fromOp(S, i -> L / 2 + i / 2);
    private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL & (-1L >>> (64 - L)));

    private VectorWinograd() {
    }

    /** {@link NnLoops#winogradInput}, tiles up to the next multiple of L. */
    static void input(float[] ph, int pOff, int[] taps, int n, float[] v, int vOff, int xiStride, int panelStride,
                      int nr) {
        // in two loops of 8 stores each: in one loop of 16 (all of a vector's products in one pass),
        // C2 compiled the last four stores as calls to the Vector API's Java fallback in resnet18's
        // JVM ("failed to inline (intrinsic)", the stored vectors' class from a type profile), which
        // boxed their vectors; resnet18 at 1 thread 31,963 -> 30,700 and 24,539 -> 23,820 us
        // (in-process A/B). Each half loads the four tap rows it shares with the other again
        inputTop(ph, pOff, taps, n, v, vOff, xiStride, panelStride, nr);
        inputBottom(ph, pOff, taps, n, v, vOff, xiStride, panelStride, nr);
    }

    /** Products 0-7 of {@link #input}: rows d0 - d2 and d1 + d2 of B^T d, each times B. */
    private static void inputTop(float[] ph, int pOff, int[] taps, int n, float[] v, int vOff, int xiStride,
                                 int panelStride, int nr) {
        int t0 = taps[0];
        int t1 = taps[1];
        int t2 = taps[2];
        int t3 = taps[3];
        int t4 = taps[4];
        int t5 = taps[5];
        int t6 = taps[6];
        int t7 = taps[7];
        int t8 = taps[8];
        int t9 = taps[9];
        int t10 = taps[10];
        int t11 = taps[11];
        for (int j = 0; j < n; j += L) {
            int p = pOff + j;
            int o = vOff + j / nr * panelStride + j % nr;
            FloatVector d20 = FloatVector.fromArray(S, ph, p + t8);
            FloatVector d21 = FloatVector.fromArray(S, ph, p + t9);
            FloatVector d22 = FloatVector.fromArray(S, ph, p + t10);
            FloatVector d23 = FloatVector.fromArray(S, ph, p + t11);
            FloatVector r0 = FloatVector.fromArray(S, ph, p + t0).sub(d20);
            FloatVector r1 = FloatVector.fromArray(S, ph, p + t1).sub(d21);
            FloatVector r2 = FloatVector.fromArray(S, ph, p + t2).sub(d22);
            FloatVector r3 = FloatVector.fromArray(S, ph, p + t3).sub(d23);
            r0.sub(r2).intoArray(v, o);
            r1.add(r2).intoArray(v, o + xiStride);
            r2.sub(r1).intoArray(v, o + 2 * xiStride);
            r1.sub(r3).intoArray(v, o + 3 * xiStride);
            r0 = FloatVector.fromArray(S, ph, p + t4).add(d20);
            r1 = FloatVector.fromArray(S, ph, p + t5).add(d21);
            r2 = FloatVector.fromArray(S, ph, p + t6).add(d22);
            r3 = FloatVector.fromArray(S, ph, p + t7).add(d23);
            r0.sub(r2).intoArray(v, o + 4 * xiStride);
            r1.add(r2).intoArray(v, o + 5 * xiStride);
            r2.sub(r1).intoArray(v, o + 6 * xiStride);
            r1.sub(r3).intoArray(v, o + 7 * xiStride);
        }
    }

    /** Products 8-15 of {@link #input}: rows d2 - d1 and d1 - d3 of B^T d, each times B. */
    private static void inputBottom(float[] ph, int pOff, int[] taps, int n, float[] v, int vOff, int xiStride,
                                    int panelStride, int nr) {
        int t4 = taps[4];
        int t5 = taps[5];
        int t6 = taps[6];
        int t7 = taps[7];
        int t8 = taps[8];
        int t9 = taps[9];
        int t10 = taps[10];
        int t11 = taps[11];
        int t12 = taps[12];
        int t13 = taps[13];
        int t14 = taps[14];
        int t15 = taps[15];
        for (int j = 0; j < n; j += L) {
            int p = pOff + j;
            int o = vOff + j / nr * panelStride + j % nr;
            FloatVector d10 = FloatVector.fromArray(S, ph, p + t4);
            FloatVector d11 = FloatVector.fromArray(S, ph, p + t5);
            FloatVector d12 = FloatVector.fromArray(S, ph, p + t6);
            FloatVector d13 = FloatVector.fromArray(S, ph, p + t7);
            FloatVector r0 = FloatVector.fromArray(S, ph, p + t8).sub(d10);
            FloatVector r1 = FloatVector.fromArray(S, ph, p + t9).sub(d11);
            FloatVector r2 = FloatVector.fromArray(S, ph, p + t10).sub(d12);
            FloatVector r3 = FloatVector.fromArray(S, ph, p + t11).sub(d13);
            r0.sub(r2).intoArray(v, o + 8 * xiStride);
            r1.add(r2).intoArray(v, o + 9 * xiStride);
            r2.sub(r1).intoArray(v, o + 10 * xiStride);
            r1.sub(r3).intoArray(v, o + 11 * xiStride);
            r0 = d10.sub(FloatVector.fromArray(S, ph, p + t12));
            r1 = d11.sub(FloatVector.fromArray(S, ph, p + t13));
            r2 = d12.sub(FloatVector.fromArray(S, ph, p + t14));
            r3 = d13.sub(FloatVector.fromArray(S, ph, p + t15));
            r0.sub(r2).intoArray(v, o + 12 * xiStride);
            r1.add(r2).intoArray(v, o + 13 * xiStride);
            r2.sub(r1).intoArray(v, o + 14 * xiStride);
            r1.sub(r3).intoArray(v, o + 15 * xiStride);
        }
    }

    /**
     * {@link NnLoops#winogradOutput}: per row of tiles, its first output row and then its second, each
     * from its last vector of tiles to its first, a vector's part of the row stored as two vectors of
     * interleaved columns. A row's last stores run on past its end into the rows below: every later
     * store of the call starts no later than those, so the rows below are written after; a store that
     * would pass {@code limit} goes through tmp instead.
     */
    static void output(float[] mo, int mOff, int xiStride, int wh, int tw, int tileRows, float bias, float[] y,
                       int yOff, int outW, int outRows, float[] r, float lo, float hi, int limit, float[] tmp,
                       int tmpOff) {
        int lastVector = (tw - 1) / L * L;
        // each row of tiles' two output rows in two loops: in one loop, C2 compiled the second row's
        // stores as calls to the Vector API's Java fallback in resnet18's JVM, as it did input's last
        // stores (resnet18 at 1 thread 24,581 -> 24,191 and 25,905 -> 25,330 us, in-process A/B). The
        // first row's stores that run past its end are overwritten by the second row's, whose own run
        // into the next row of tiles, written after them
        for (int ty = 0; ty < tileRows; ty++) {
            int row0 = yOff + 2 * ty * outW;
            int j0 = mOff + ty * wh;
            outputTop(mo, j0, xiStride, lastVector, bias, y, row0, outW, r, lo, hi, limit, tmp, tmpOff);
            if (2 * ty + 1 < outRows) {
                outputBottom(mo, j0, xiStride, lastVector, bias, y, row0 + outW, outW, r, lo, hi, limit, tmp,
                        tmpOff);
            }
        }
    }

    /**
     * The first output row of a row of tiles (M's products from j0 on), into y at row: A^T M's row
     * m0 + m1 + m2 of each column k (products xi = 4 * row + k), then A.
     */
    private static void outputTop(float[] mo, int j0, int x, int lastVector, float bias, float[] y, int row, int outW,
                                  float[] r, float lo, float hi, int limit, float[] tmp, int tmpOff) {
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        for (int tx = lastVector; tx >= 0; tx -= L) {
            int j = j0 + tx;
            FloatVector s0 = FloatVector.fromArray(S, mo, j).add(FloatVector.fromArray(S, mo, j + 4 * x))
                    .add(FloatVector.fromArray(S, mo, j + 8 * x));
            FloatVector s1 = FloatVector.fromArray(S, mo, j + x).add(FloatVector.fromArray(S, mo, j + 5 * x))
                    .add(FloatVector.fromArray(S, mo, j + 9 * x));
            FloatVector s2 = FloatVector.fromArray(S, mo, j + 2 * x).add(FloatVector.fromArray(S, mo, j + 6 * x))
                    .add(FloatVector.fromArray(S, mo, j + 10 * x));
            FloatVector s3 = FloatVector.fromArray(S, mo, j + 3 * x).add(FloatVector.fromArray(S, mo, j + 7 * x))
                    .add(FloatVector.fromArray(S, mo, j + 11 * x));
            // then A: columns s0 + s1 + s2 and s1 - s2 - s3, as columns 2t and 2t + 1 of the L tiles t
            // interleaved into two vectors (written out: a helper taking vectors would get them boxed)
            int count = Math.min(2 * L, outW - 2 * tx);
            int at = row + 2 * tx;
            FloatVector even = s0.add(s1).add(s2).add(b);
            FloatVector odd = s1.sub(s2).sub(s3).add(b);
            FloatVector first = even.rearrange(LOWER_TWICE).blend(odd.rearrange(LOWER_TWICE), ODD);
            FloatVector next = even.rearrange(UPPER_TWICE).blend(odd.rearrange(UPPER_TWICE), ODD);
            if (at + 2 * L > limit) {
                first.intoArray(tmp, tmpOff);
                next.intoArray(tmp, tmpOff + L);
                tail(tmp, tmpOff, y, at, count, r, lo, hi);
            } else if (r != null) { // no vector assigned in a branch: C2 would box it where the branches meet
                first.add(FloatVector.fromArray(S, r, at)).max(vlo).min(vhi).intoArray(y, at);
                next.add(FloatVector.fromArray(S, r, at + L)).max(vlo).min(vhi).intoArray(y, at + L);
            } else {
                first.max(vlo).min(vhi).intoArray(y, at);
                next.max(vlo).min(vhi).intoArray(y, at + L);
            }
        }
    }

    /** The second output row of a row of tiles, as {@link #outputTop}: A^T M's row m1 - m2 - m3. */
    private static void outputBottom(float[] mo, int j0, int x, int lastVector, float bias, float[] y, int row,
                                     int outW, float[] r, float lo, float hi, int limit, float[] tmp, int tmpOff) {
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        for (int tx = lastVector; tx >= 0; tx -= L) {
            int j = j0 + tx;
            FloatVector s0 = FloatVector.fromArray(S, mo, j + 4 * x).sub(FloatVector.fromArray(S, mo, j + 8 * x))
                    .sub(FloatVector.fromArray(S, mo, j + 12 * x));
            FloatVector s1 = FloatVector.fromArray(S, mo, j + 5 * x).sub(FloatVector.fromArray(S, mo, j + 9 * x))
                    .sub(FloatVector.fromArray(S, mo, j + 13 * x));
            FloatVector s2 = FloatVector.fromArray(S, mo, j + 6 * x).sub(FloatVector.fromArray(S, mo, j + 10 * x))
                    .sub(FloatVector.fromArray(S, mo, j + 14 * x));
            FloatVector s3 = FloatVector.fromArray(S, mo, j + 7 * x).sub(FloatVector.fromArray(S, mo, j + 11 * x))
                    .sub(FloatVector.fromArray(S, mo, j + 15 * x));
            int count = Math.min(2 * L, outW - 2 * tx);
            int at = row + 2 * tx;
            FloatVector even = s0.add(s1).add(s2).add(b);
            FloatVector odd = s1.sub(s2).sub(s3).add(b);
            FloatVector first = even.rearrange(LOWER_TWICE).blend(odd.rearrange(LOWER_TWICE), ODD);
            FloatVector next = even.rearrange(UPPER_TWICE).blend(odd.rearrange(UPPER_TWICE), ODD);
            if (at + 2 * L > limit) {
                first.intoArray(tmp, tmpOff);
                next.intoArray(tmp, tmpOff + L);
                tail(tmp, tmpOff, y, at, count, r, lo, hi);
            } else if (r != null) {
                first.add(FloatVector.fromArray(S, r, at)).max(vlo).min(vhi).intoArray(y, at);
                next.add(FloatVector.fromArray(S, r, at + L)).max(vlo).min(vhi).intoArray(y, at + L);
            } else {
                first.max(vlo).min(vhi).intoArray(y, at);
                next.max(vlo).min(vhi).intoArray(y, at + L);
            }
        }
    }

    /** The first count outputs of a row's vectors, stored in tmp, into y at at with the residual and the clamp. */
    private static void tail(float[] tmp, int tmpOff, float[] y, int at, int count, float[] r, float lo, float hi) {
        for (int i = 0; i < count; i++) {
            y[at + i] = Math.min(Math.max(tmp[tmpOff + i] + (r != null ? r[at + i] : 0f), lo), hi);
        }
    }
}
