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
     * {@link NnLoops#winogradOutput}: per row of tiles, its vectors from the last to the first, each
     * one's output rows stored as two vectors of interleaved columns. A vector's stores run on past
     * its rows' ends into the rows below (and the last vector's past its tiles): every later store of
     * the call starts no later than those, so the rows below are written after; a store that would
     * pass {@code limit} goes through tmp instead.
     */
    static void output(float[] mo, int mOff, int xiStride, int wh, int tw, int tileRows, float bias, float[] y,
                       int yOff, int outW, int outRows, float[] r, float lo, float hi, int limit, float[] tmp,
                       int tmpOff) {
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int x = xiStride;
        int lastVector = (tw - 1) / L * L;
        for (int ty = 0; ty < tileRows; ty++) {
            int row0 = yOff + 2 * ty * outW;
            boolean second = 2 * ty + 1 < outRows;
            for (int tx = lastVector; tx >= 0; tx -= L) {
                int j = mOff + ty * wh + tx;
                // A^T M: rows m0 + m1 + m2 and m1 - m2 - m3 of each column k (products xi = 4 * row + k)
                FloatVector m10 = FloatVector.fromArray(S, mo, j + 4 * x);
                FloatVector m11 = FloatVector.fromArray(S, mo, j + 5 * x);
                FloatVector m12 = FloatVector.fromArray(S, mo, j + 6 * x);
                FloatVector m13 = FloatVector.fromArray(S, mo, j + 7 * x);
                FloatVector m20 = FloatVector.fromArray(S, mo, j + 8 * x);
                FloatVector m21 = FloatVector.fromArray(S, mo, j + 9 * x);
                FloatVector m22 = FloatVector.fromArray(S, mo, j + 10 * x);
                FloatVector m23 = FloatVector.fromArray(S, mo, j + 11 * x);
                FloatVector s00 = FloatVector.fromArray(S, mo, j).add(m10).add(m20);
                FloatVector s01 = FloatVector.fromArray(S, mo, j + x).add(m11).add(m21);
                FloatVector s02 = FloatVector.fromArray(S, mo, j + 2 * x).add(m12).add(m22);
                FloatVector s03 = FloatVector.fromArray(S, mo, j + 3 * x).add(m13).add(m23);
                // then A: columns s0 + s1 + s2 and s1 - s2 - s3, as columns 2t and 2t + 1 of the L tiles t
                // interleaved into two vectors (written out: a helper taking vectors would get them boxed)
                int count = Math.min(2 * L, outW - 2 * tx);
                int at = row0 + 2 * tx;
                FloatVector even = s00.add(s01).add(s02).add(b);
                FloatVector odd = s01.sub(s02).sub(s03).add(b);
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
                if (second) {
                    FloatVector s10 = m10.sub(m20).sub(FloatVector.fromArray(S, mo, j + 12 * x));
                    FloatVector s11 = m11.sub(m21).sub(FloatVector.fromArray(S, mo, j + 13 * x));
                    FloatVector s12 = m12.sub(m22).sub(FloatVector.fromArray(S, mo, j + 14 * x));
                    FloatVector s13 = m13.sub(m23).sub(FloatVector.fromArray(S, mo, j + 15 * x));
                    int below = at + outW;
                    FloatVector even1 = s10.add(s11).add(s12).add(b);
                    FloatVector odd1 = s11.sub(s12).sub(s13).add(b);
                    FloatVector first1 = even1.rearrange(LOWER_TWICE).blend(odd1.rearrange(LOWER_TWICE), ODD);
                    FloatVector next1 = even1.rearrange(UPPER_TWICE).blend(odd1.rearrange(UPPER_TWICE), ODD);
                    if (below + 2 * L > limit) {
                        first1.intoArray(tmp, tmpOff);
                        next1.intoArray(tmp, tmpOff + L);
                        tail(tmp, tmpOff, y, below, count, r, lo, hi);
                    } else if (r != null) {
                        first1.add(FloatVector.fromArray(S, r, below)).max(vlo).min(vhi).intoArray(y, below);
                        next1.add(FloatVector.fromArray(S, r, below + L)).max(vlo).min(vhi).intoArray(y, below + L);
                    } else {
                        first1.max(vlo).min(vhi).intoArray(y, below);
                        next1.max(vlo).min(vhi).intoArray(y, below + L);
                    }
                }
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
