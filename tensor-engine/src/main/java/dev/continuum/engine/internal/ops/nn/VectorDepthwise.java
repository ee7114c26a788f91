package dev.continuum.engine.internal.ops.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Depthwise3x3} planes on the Vector API, for {@link VectorNnLoops}: the source planes copied
 * into the guarded scratch, then one vector loop over the flattened output with the 9 weights in
 * registers, the taps grouped by kernel column so the two wrapping columns cost one blend each, bias
 * and a clamping activation fused. The last vector overlaps the one before it (it recomputes a few
 * outputs) so there is no scalar tail; planes smaller than one vector go to the scalar reference.
 * Stride-1 planes with rows of a vector or more go two output rows at a time instead
 * ({@link #stride1RowPairs}); stride 2 mostly reads x row by row, with no copy ({@link #stride2Rows},
 * {@link #shortRows}).
 *
 * <p>Every vector loop runs in two counted passes, the vectors at 0, L, 2L, ... up to {@code last},
 * then one more at {@code last} when it is off that grid: in a counted loop C2 hoists the bounds
 * checks of the loads out of the loop, which it cannot do when the index is clamped inside the loop
 * (the checks were about half of the depthwise layers' time).
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * A vector's even lanes into its lower half, its odd lanes into its upper half. The loops split
     * two vectors' lanes by these single-vector shuffles and blends: C2 compiles the two-vector
     * rearrange to a slow path.
     */
    private static final VectorShuffle<Float> SPLIT =
            VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i : 2 * (i - L / 2) + 1);
    /** The two halves of a vector swapped. */
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> (i + L / 2) % L);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, (-1L >>> (64 - L)) & (-1L << (L / 2)));
    private static final VectorMask<Float> LOWER = UPPER.not();
    private static final VectorMask<Float> EVEN = VectorMask.fromLong(S, 0x5555555555555555L & (-1L >>> (64 - L)));
    /** The even lanes and lane 1. */
    private static final VectorMask<Float> EVEN_OR_1 = VectorMask.fromLong(S, (0x5555555555555555L | 2L) & (-1L >>> (64 - L)));
    /** Lane 0, and lane L - 1: where a row's first and last vector hold its wrapping column. */
    private static final VectorMask<Float> FIRST_LANE = VectorMask.fromLong(S, 1L);
    private static final VectorMask<Float> LAST_LANE = VectorMask.fromLong(S, 1L << (L - 1));
    /** Each lane from two lanes below (lanes 0 and 1 from lane 0). */
    private static final VectorShuffle<Float> UP2 = VectorShuffle.fromOp(S, i -> Math.max(i - 2, 0));

    private VectorDepthwise() {
    }

    static void plane(NnLoops loops, Depthwise3x3 d, float[] x, int xOff, float[] wt, int wOff, float bias,
                      Epilogue e, float[] s, int sOff, float[] y, int yOff) {
        if (d.outSize < L) {
            d.plane(x, xOff, wt, wOff, bias, e, y, yOff);
            return;
        }
        if (d.stride == 2 && d.outW < L && L <= Depthwise3x3.SLACK && !vectorPast(d, x, xOff)) {
            // the tensor's last plane: copied (into the room Depthwise3x3.scratchSize leaves for rows
            // under SLACK lanes), so that it takes the loops of the other planes and not
            // ones run once per layer run, which stay in the JIT's first tier for tens of seconds
            // (mobilenet_v2's 192 planes of 28x28: the layer 101-352 us in 5-8 s runs, 45 after 25 s,
            // 40 with the copy)
            int copy = sOff + d.workSize();
            System.arraycopy(x, xOff, s, copy, d.h * d.w);
            x = s;
            xOff = copy;
        }
        if (d.full != null && 2 * d.outW <= L) {
            // rows of at most half a vector at stride 2 (with 8 lanes, rows of 5-7 take stride2Rows)
            shortStride2(loops, d, d.full, x, xOff, wt, wOff, bias, e, s, sOff, y, yOff);
            return;
        }
        boolean clamp = e.clamps();
        float lo = clamp ? e.lo() : Float.NEGATIVE_INFINITY;
        float hi = clamp ? e.hi() : Float.POSITIVE_INFINITY;
        if (d.stride == 2 && (d.outW >= L || 2 * d.outW >= L && vectorPast(d, x, xOff))) {
            stride2Rows(d, x, xOff, wt, wOff, bias, s, sOff, y, yOff, clamp, lo, hi);
        } else {
            fill(d, x, xOff, s, sOff, 0f);
            if (d.stride == 1) {
                stride1(d, wt, wOff, bias, s, sOff + d.source(0), y, yOff, clamp, lo, hi);
            } else {
                stride2(d, wt, wOff, bias, s, sOff, y, yOff, clamp, lo, hi);
            }
        }
        if (!clamp) {
            e.activation().apply(y, yOff, yOff + d.outSize);
        }
    }

    /**
     * Whether x holds a vector past d's plane at xOff: the loops that read a short row's vector across
     * its end need it for the plane's last row. A tensor's last plane has none and takes the loops
     * that do not.
     */
    private static boolean vectorPast(Depthwise3x3 d, float[] x, int xOff) {
        return xOff + d.h * d.w + L <= x.length;
    }

    /**
     * A stride-2 plane of d with full, its stride-1 layout: {@link #shortRows} when its rows are at
     * most half a vector and x has a vector past the plane, else {@link #strideOneThenSubsample}.
     * The scratch needs {@code full.scratchSize() + full.outSize + Depthwise3x3.SLACK} floats at sOff.
     */
    private static void shortStride2(NnLoops loops, Depthwise3x3 d, Depthwise3x3 full, float[] x, int xOff,
                                     float[] wt, int wOff, float bias, Epilogue e, float[] s, int sOff, float[] y,
                                     int yOff) {
        if (2 * d.outW <= L && vectorPast(d, x, xOff)) {
            boolean clamp = e.clamps();
            // after full's scratch, whose guards stay zero
            shortRows(d, x, xOff, wt, wOff, bias, s, sOff + full.scratchSize(), y, yOff, clamp,
                    clamp ? e.lo() : Float.NEGATIVE_INFINITY,
                    clamp ? e.hi() : Float.POSITIVE_INFINITY);
            if (!clamp) {
                e.activation().apply(y, yOff, yOff + d.outSize);
            }
        } else {
            strideOneThenSubsample(loops, d, full, x, xOff, wt, wOff, bias, e, s, sOff, y, yOff);
        }
    }

    /**
     * {@link #stride2Rows} for rows of at most half a vector (2 outW <= L): one vector of input columns
     * per output row holds the whole row's windows, its loads running into the next input rows and,
     * for the last, up to L floats past the plane (the caller makes sure x has them). Each row's
     * vector goes into the scratch at sOff, each store running into the rows after it, which rewrite
     * it; then the plane into y. mobilenet's 12x12 -> 6x6 and 6x6 -> 3x3 planes, which otherwise are
     * computed at stride 1 and subsampled: mobilenet_small 436 -> 425 us per run at 1 thread,
     * mobilenet_v2 7.21 -> 7.14 ms (in-process A/B). The scratch needs (outH - 1) * outW + L floats.
     */
    private static void shortRows(Depthwise3x3 d, float[] x, int xOff, float[] wt, int wOff, float bias, float[] s,
                                  int sOff, float[] y, int yOff, boolean clamp, float lo, float hi) {
        int w = d.w;
        int outW = d.outW;
        FloatVector zero = FloatVector.zero(S);
        FloatVector p0 = FloatVector.broadcast(S, wt[wOff + 2]).blend(wt[wOff + 1], EVEN);
        FloatVector p1 = FloatVector.broadcast(S, wt[wOff + 5]).blend(wt[wOff + 4], EVEN);
        FloatVector p2 = FloatVector.broadcast(S, wt[wOff + 8]).blend(wt[wOff + 7], EVEN);
        FloatVector q0 = FloatVector.broadcast(S, wt[wOff]);
        FloatVector q1 = FloatVector.broadcast(S, wt[wOff + 3]);
        FloatVector q2 = FloatVector.broadcast(S, wt[wOff + 6]);
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        for (int oy = 0; oy < d.outH; oy++) {
            int r1 = xOff + 2 * oy * w;
            FloatVector a1 = FloatVector.fromArray(S, x, r1);
            FloatVector a2 = FloatVector.fromArray(S, x, r1 + w);
            FloatVector z = a1.mul(p1);
            FloatVector q = a1.mul(q1);
            z = a2.fma(p2, z);
            q = a2.fma(q2, q);
            if (oy > 0) {
                FloatVector a0 = FloatVector.fromArray(S, x, r1 - w);
                z = a0.fma(p0, z);
                q = a0.fma(q0, q);
            }
            z = z.add(q.rearrange(UP2).blend(zero, EVEN_OR_1)).rearrange(SPLIT);
            // the row's outputs in the lower half: each even lane plus the odd lane after it
            FloatVector acc = z.add(z.rearrange(SWAP)).add(b);
            if (clamp) {
                acc = acc.max(vlo).min(vhi);
            }
            acc.intoArray(s, sOff + oy * outW);
        }
        System.arraycopy(s, sOff, y, yOff, d.outSize);
    }

    /**
     * A stride-2 plane of d through full, its stride-1 layout: every stride-1 output into the scratch
     * after full's own, then every other row and column of them into y. The scratch needs
     * {@code full.scratchSize() + full.outSize} floats at sOff.
     */
    private static void strideOneThenSubsample(NnLoops loops, Depthwise3x3 d, Depthwise3x3 full, float[] x, int xOff,
                                               float[] wt, int wOff, float bias, Epilogue e, float[] s, int sOff,
                                               float[] y, int yOff) {
        int out = sOff + full.scratchSize();
        plane(loops, full, x, xOff, wt, wOff, bias, e, s, sOff, s, out);
        loops.subsample(s, out, d.w, 2, 2, d.outH, d.outW, y, yOff);
    }

    /** {@link Depthwise3x3#maxPlane} on the guarded sources (guards -infinity), the wrapping columns masked to -infinity. */
    static void maxPlane(Depthwise3x3 d, float[] x, int xOff, float[] s, int sOff, float[] y, int yOff) {
        if (d.outSize < L) {
            d.maxPlane(x, xOff, y, yOff);
            return;
        }
        if (d.stride == 2 && d.outW >= L) {
            maxPlaneStride2(d, x, xOff, s, sOff, y, yOff);
            return;
        }
        fill(d, x, xOff, s, sOff, Float.NEGATIVE_INFINITY);
        FloatVector none = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        float[] columns = d.columns;
        float rightmost = d.stride == 1 ? d.outW - 1 : -1f; // stride 2 on an even plane never wraps right
        int[] taps = d.taps;
        int t0 = taps[0];
        int t1 = taps[1];
        int t2 = taps[2];
        int t3 = taps[3];
        int t4 = taps[4];
        int t5 = taps[5];
        int t6 = taps[6];
        int t7 = taps[7];
        int t8 = taps[8];
        int last = d.outSize - L;
        // counted passes, see the class comment
        for (int from = 0, to = last - last % L; ; from = to = last) {
            for (int p = from; p <= to; p += L) {
                FloatVector ox = FloatVector.fromArray(S, columns, p);
                VectorMask<Float> left = ox.compare(VectorOperators.EQ, 0f);
                VectorMask<Float> right = ox.compare(VectorOperators.EQ, rightmost);
                int i = sOff + p;
                FloatVector m = FloatVector.fromArray(S, s, i + t0).blend(none, left);
                m = greater(m, FloatVector.fromArray(S, s, i + t1));
                m = greater(m, FloatVector.fromArray(S, s, i + t2).blend(none, right));
                m = greater(m, FloatVector.fromArray(S, s, i + t3).blend(none, left));
                m = greater(m, FloatVector.fromArray(S, s, i + t4));
                m = greater(m, FloatVector.fromArray(S, s, i + t5).blend(none, right));
                m = greater(m, FloatVector.fromArray(S, s, i + t6).blend(none, left));
                m = greater(m, FloatVector.fromArray(S, s, i + t7));
                m = greater(m, FloatVector.fromArray(S, s, i + t8).blend(none, right));
                m.intoArray(y, yOff + p);
            }
            if (to == last) {
                break;
            }
        }
    }

    /**
     * A 3x3 max pool at stride 2 with pads 1 on an even plane, separably: for each output row, the
     * max of its three input rows (two for the first) into a row of the scratch between two guards of
     * -inf; then per vector of outputs the max of that row's even columns, odd columns, and even
     * columns one further (column pairs split by {@link #SPLIT} and {@link #SWAP}). No phase
     * copy of the plane and no edge masks: resnet18's 64 planes of 112x112, 378 -> 183 us at 1 thread
     * (ONNX Runtime: 101 us). The scratch needs outH * (w + 2) floats at sOff.
     */
    private static void maxPlaneStride2(Depthwise3x3 d, float[] x, int xOff, float[] s, int sOff, float[] y,
                                        int yOff) {
        int w = d.w;
        int outW = d.outW;
        int row = w + 2; // a row of vertical maxima between its guards
        int lastColumn = w - L;
        int lastOutput = outW - L;
        for (int oy = 0; oy < d.outH; oy++) {
            int r1 = xOff + 2 * oy * w; // rows 2oy - 1 (none for the first), 2oy and 2oy + 1 (h is even)
            int r2 = r1 + w;
            int r0 = r1 - w;
            int dst = sOff + oy * row;
            s[dst] = Float.NEGATIVE_INFINITY;
            s[dst + w + 1] = Float.NEGATIVE_INFINITY; // read past the last output's window, never used
            // counted passes, see the class comment
            for (int from = 0, to = lastColumn - lastColumn % L; ; from = to = lastColumn) {
                for (int j = from; j <= to; j += L) {
                    FloatVector m = FloatVector.fromArray(S, x, r1 + j);
                    if (oy > 0) {
                        m = greater(FloatVector.fromArray(S, x, r0 + j), m);
                    }
                    greater(m, FloatVector.fromArray(S, x, r2 + j)).intoArray(s, dst + 1 + j);
                }
                if (to == lastColumn) {
                    break;
                }
            }
        }
        // a second pass: loads straddling two vector stores just made would wait for them (195 -> 183 us)
        for (int oy = 0; oy < d.outH; oy++) {
            int src = sOff + oy * row;
            int yRow = yOff + oy * outW;
            for (int from = 0, to = lastOutput - lastOutput % L; ; from = to = lastOutput) {
                for (int o = from; o <= to; o += L) {
                    // output o reads row columns 2o - 1, 2o, 2o + 1: scratch 2o, 2o + 1, 2o + 2
                    int i = src + 2 * o;
                    FloatVector a = FloatVector.fromArray(S, s, i).rearrange(SPLIT);
                    FloatVector b = FloatVector.fromArray(S, s, i + L).rearrange(SPLIT);
                    FloatVector c = FloatVector.fromArray(S, s, i + 2).rearrange(SPLIT);
                    FloatVector e = FloatVector.fromArray(S, s, i + 2 + L).rearrange(SPLIT);
                    FloatVector left = a.blend(b.rearrange(SWAP), UPPER);
                    FloatVector middle = b.blend(a.rearrange(SWAP), LOWER);
                    FloatVector right = c.blend(e.rearrange(SWAP), UPPER);
                    greater(greater(left, middle), right).intoArray(y, yRow + o);
                }
                if (to == lastOutput) {
                    break;
                }
            }
        }
    }

    /** v where it is greater than m, else m (m stays on ties and when v is NaN). */
    private static FloatVector greater(FloatVector m, FloatVector v) {
        return m.blend(v, v.compare(VectorOperators.GT, m));
    }

    /**
     * The source planes of x's plane at xOff into the scratch at sOff, its guards left holding
     * {@code guard}: for stride 2 the callers take rows of a vector or more elsewhere
     * ({@link #stride2Rows}, {@link #maxPlaneStride2}).
     */
    private static void fill(Depthwise3x3 d, float[] x, int xOff, float[] s, int sOff, float guard) {
        if (d.stride == 1) {
            d.fillSources(x, xOff, s, sOff);
        } else if (2 * d.outW > L && vectorPast(d, x, xOff) && L <= Depthwise3x3.SLACK) {
            fillShortPhases(d, x, xOff, s, sOff, guard);
        } else {
            d.fillSources(x, xOff, s, sOff);
        }
    }

    /**
     * The phases of a stride-2 plane whose rows are shorter than a vector but longer than half of one (L / 2 < outW < L;
     * shorter rows gained nothing measurable and stay on the scalar copy): each input row read as two
     * vectors (the second past its end, into the next row) and split, each phase's row stored as a
     * whole vector that runs past it. The phases are written one after the other, each row after
     * the one before, so what a store writes past its row is written again by a later one, except
     * past each phase's last row: the guards there are restored after, and the last phase's stores
     * end within the scratch's slack. The caller makes sure x has a vector past the plane.
     */
    private static void fillShortPhases(Depthwise3x3 d, float[] x, int xOff, float[] s, int sOff, float guard) {
        int outW = d.outW;
        for (int phase = 0; phase < 4; phase++) {
            int py = phase >> 1;
            boolean odd = (phase & 1) == 1;
            int dst = sOff + d.source(phase);
            for (int r = 0; r < d.outH; r++) {
                int src = xOff + (2 * r + py) * d.w;
                // single-vector shuffles, see SPLIT
                FloatVector a = FloatVector.fromArray(S, x, src).rearrange(SPLIT);
                FloatVector b = FloatVector.fromArray(S, x, src + L).rearrange(SPLIT);
                FloatVector row = odd ? b.blend(a.rearrange(SWAP), LOWER) : a.blend(b.rearrange(SWAP), UPPER);
                row.intoArray(s, dst + r * outW);
            }
            // restore the guard after this phase (the next phase's, or the last one)
            java.util.Arrays.fill(s, dst + d.outSize, dst + d.outSize + d.guard, guard);
        }
    }

    /**
     * {@link NnLoops#everyOther}: two vectors of x split into their even lanes per vector of d, the
     * shuffles as {@link #stride2Rows}. A row that does not end on a whole vector ends with one more
     * vector over its last L outputs, overlapping the one before (resnet_small's 7x7/2 stem fills 384
     * rows of 30 from rows of 64 columns: 6.3 -> 5.5 us in a harness); the elements no whole vector can
     * reach (a row shorter than a vector, or one whose second load would pass the end of x) one by one.
     */
    static void everyOther(float[] x, int xOff, float[] d, int dOff, int count) {
        int reach = Math.min(count, (x.length - xOff) / 2); // outputs whose vector's loads stay in x
        int i = 0;
        for (int bound = reach - L; i <= bound; i += L) {
            everyOtherVector(x, xOff + 2 * i, d, dOff + i);
        }
        if (i < count && reach == count && count >= L) {
            everyOtherVector(x, xOff + 2 * (count - L), d, dOff + count - L);
            return;
        }
        for (; i < count; i++) {
            d[dOff + i] = x[xOff + 2 * i];
        }
    }

    /** d[dOff, dOff + L) = the even lanes of x[xOff, xOff + 2L). */
    private static void everyOtherVector(float[] x, int xOff, float[] d, int dOff) {
        FloatVector a = FloatVector.fromArray(S, x, xOff).rearrange(SPLIT);
        FloatVector b = FloatVector.fromArray(S, x, xOff + L).rearrange(SPLIT);
        a.blend(b.rearrange(SWAP), UPPER).intoArray(d, dOff);
    }

    /**
     * A stride-1 plane: with rows of a vector or more, two output rows per iteration of
     * {@link #stride1RowPairs} and a last odd row flattened; shorter rows flattened, several rows per
     * vector ({@link #stride1Flat}).
     */
    private static void stride1(Depthwise3x3 d, float[] wt, int wOff, float bias, float[] s, int base, float[] y,
                                int yOff, boolean clamp, float lo, float hi) {
        if (d.w < L) {
            stride1Flat(d, wt, wOff, bias, s, base, y, yOff, clamp, lo, hi, 0, d.outSize);
            return;
        }
        stride1RowPairs(d, wt, wOff, bias, s, base, y, yOff, clamp, lo, hi);
        if (d.h % 2 == 1) {
            stride1Flat(d, wt, wOff, bias, s, base, y, yOff, clamp, lo, hi, (d.h - 1) * d.w, d.outSize);
        }
    }

    /**
     * Rows 2r and 2r + 1 of a stride-1 plane with rows of at least one vector, per vector of columns:
     * the four input rows they read are loaded once for both (12 loads for 18 FMAs, where the
     * flattened loop loads 9 for 9), each row's vectors from its first column on, the last one
     * overlapping the one before it, so the wrapping columns are only in a row's first vector (lane
     * 0, left) and last (lane L - 1, right) and their masks are constants. A dropped tap is replaced,
     * not multiplied by zero. 144 planes of 56x56 at 1 thread, in a harness: 10.0-10.5 -> 6.1-6.2 ns
     * per 16 outputs; 32 of 112x112 9.4 -> 5.3.
     */
    private static void stride1RowPairs(Depthwise3x3 d, float[] wt, int wOff, float bias, float[] s, int base,
                                        float[] y, int yOff, boolean clamp, float lo, float hi) {
        FloatVector w0 = FloatVector.broadcast(S, wt[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, wt[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, wt[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, wt[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, wt[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, wt[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, wt[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, wt[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, wt[wOff + 8]);
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector zero = FloatVector.zero(S);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int n = d.w;
        int lastColumn = n - L;
        for (int r = 0; r + 1 < d.h; r += 2) {
            int row = base + r * n; // the scratch's guards before and after the plane read as rows -1 and h
            int out = yOff + r * n;
            for (int c = 0; ; c = Math.min(c + L, lastColumn)) {
                int i = row + c;
                FloatVector x0 = FloatVector.fromArray(S, s, i - n - 1);
                FloatVector x1 = FloatVector.fromArray(S, s, i - 1);
                FloatVector x2 = FloatVector.fromArray(S, s, i + n - 1);
                FloatVector x3 = FloatVector.fromArray(S, s, i + 2 * n - 1);
                FloatVector left0 = x0.mul(w0);
                left0 = x1.fma(w3, left0);
                left0 = x2.fma(w6, left0);
                FloatVector left1 = x1.mul(w0);
                left1 = x2.fma(w3, left1);
                left1 = x3.fma(w6, left1);
                x0 = FloatVector.fromArray(S, s, i - n);
                x1 = FloatVector.fromArray(S, s, i);
                x2 = FloatVector.fromArray(S, s, i + n);
                x3 = FloatVector.fromArray(S, s, i + 2 * n);
                FloatVector mid0 = x0.fma(w1, b);
                mid0 = x1.fma(w4, mid0);
                mid0 = x2.fma(w7, mid0);
                FloatVector mid1 = x1.fma(w1, b);
                mid1 = x2.fma(w4, mid1);
                mid1 = x3.fma(w7, mid1);
                x0 = FloatVector.fromArray(S, s, i - n + 1);
                x1 = FloatVector.fromArray(S, s, i + 1);
                x2 = FloatVector.fromArray(S, s, i + n + 1);
                x3 = FloatVector.fromArray(S, s, i + 2 * n + 1);
                FloatVector right0 = x0.mul(w2);
                right0 = x1.fma(w5, right0);
                right0 = x2.fma(w8, right0);
                FloatVector right1 = x1.mul(w2);
                right1 = x2.fma(w5, right1);
                right1 = x3.fma(w8, right1);
                if (c == 0) {
                    left0 = left0.blend(zero, FIRST_LANE);
                    left1 = left1.blend(zero, FIRST_LANE);
                }
                if (c == lastColumn) {
                    right0 = right0.blend(zero, LAST_LANE);
                    right1 = right1.blend(zero, LAST_LANE);
                }
                FloatVector acc0 = mid0.add(left0).add(right0);
                FloatVector acc1 = mid1.add(left1).add(right1);
                if (clamp) {
                    acc0 = acc0.max(vlo).min(vhi);
                    acc1 = acc1.max(vlo).min(vhi);
                }
                acc0.intoArray(y, out + c);
                acc1.intoArray(y, out + n + c);
                if (c == lastColumn) {
                    break;
                }
            }
        }
    }

    /** The stride-1 outputs [first, end) of a plane (at least one vector of them), flattened. */
    private static void stride1Flat(Depthwise3x3 d, float[] wt, int wOff, float bias, float[] s, int base, float[] y,
                                    int yOff, boolean clamp, float lo, float hi, int first, int end) {
        FloatVector w0 = FloatVector.broadcast(S, wt[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, wt[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, wt[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, wt[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, wt[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, wt[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, wt[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, wt[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, wt[wOff + 8]);
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector zero = FloatVector.zero(S);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        float[] columns = d.columns;
        float rightmost = d.outW - 1;
        int n = d.w;
        int last = end - L;
        // counted passes, see the class comment
        for (int from = first, to = last - (last - first) % L; ; from = to = last) {
            for (int p = from; p <= to; p += L) {
                int i = base + p;
                FloatVector left = FloatVector.fromArray(S, s, i - n - 1).mul(w0);
                left = FloatVector.fromArray(S, s, i - 1).fma(w3, left);
                left = FloatVector.fromArray(S, s, i + n - 1).fma(w6, left);
                FloatVector mid = FloatVector.fromArray(S, s, i - n).fma(w1, b);
                mid = FloatVector.fromArray(S, s, i).fma(w4, mid);
                mid = FloatVector.fromArray(S, s, i + n).fma(w7, mid);
                FloatVector right = FloatVector.fromArray(S, s, i - n + 1).mul(w2);
                right = FloatVector.fromArray(S, s, i + 1).fma(w5, right);
                right = FloatVector.fromArray(S, s, i + n + 1).fma(w8, right);
                FloatVector ox = FloatVector.fromArray(S, columns, p);
                FloatVector acc = mid.add(left.blend(zero, ox.compare(VectorOperators.EQ, 0f)))
                        .add(right.blend(zero, ox.compare(VectorOperators.EQ, rightmost)));
                if (clamp) {
                    acc = acc.max(vlo).min(vhi);
                }
                acc.intoArray(y, yOff + p);
            }
            if (to == last) {
                break;
            }
        }
    }

    /**
     * A stride-2 plane with output rows of at least one vector, straight from x (no phases, no
     * scratch, no edge masks but at each row's start). Per output row, each vector of input columns
     * c, c + 1, ... of the three input rows is weighted by kernel column 1 in its even lanes and
     * column 2 in its odd lanes (the window of output o is columns 2o - 1, 2o, 2o + 1), plus, in its
     * odd lanes only, kernel column 0 times the vector two columns to the left: the column 2o - 1 of
     * the output whose pair this lane closes. Summing each even lane with the odd lane after it gives
     * the outputs; two input vectors make one output vector. The row's first vector takes its left
     * columns from the vector itself, shifted by two lanes, column -1 as padding. The top row of the
     * plane has no input row above it; the last vector of a row overlaps the one before it. A lane
     * dropped by a blend is replaced, not multiplied by zero, so an infinity stays in its own output.
     * 48 planes of 48x48: 37 -> 23.5 us at 1 thread; 96 of 112x112: 440-540 -> 300 us.
     *
     * <p>Rows of half a vector or more (L / 2 <= outW < L) are one vector each, its loads running
     * into the next input row and, for the plane's last row, up to L floats past the plane (the
     * caller makes sure x has them); the lanes past the row are stored into the next output row,
     * which rewrites them, and the last row goes through the end of the scratch at sOff.
     */
    private static void stride2Rows(Depthwise3x3 d, float[] x, int xOff, float[] wt, int wOff, float bias, float[] s,
                                    int sOff, float[] y, int yOff, boolean clamp, float lo, float hi) {
        int w = d.w;
        int outW = d.outW;
        FloatVector zero = FloatVector.zero(S);
        // kernel row r: columns 1 and 2 in the even and odd lanes, column 0 alone
        FloatVector p0 = FloatVector.broadcast(S, wt[wOff + 2]).blend(wt[wOff + 1], EVEN);
        FloatVector p1 = FloatVector.broadcast(S, wt[wOff + 5]).blend(wt[wOff + 4], EVEN);
        FloatVector p2 = FloatVector.broadcast(S, wt[wOff + 8]).blend(wt[wOff + 7], EVEN);
        FloatVector q0 = FloatVector.broadcast(S, wt[wOff]);
        FloatVector q1 = FloatVector.broadcast(S, wt[wOff + 3]);
        FloatVector q2 = FloatVector.broadcast(S, wt[wOff + 6]);
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int last = outW - L;
        for (int oy = 0; oy < d.outH; oy++) {
            int r1 = xOff + 2 * oy * w; // input rows 2oy - 1 (none for the top row), 2oy, 2oy + 1 (h is even)
            int r2 = r1 + w;
            int r0 = r1 - w;
            boolean top = oy == 0;
            int dst = yOff + oy * outW;
            // the row's first vector: its left columns from itself, shifted up two lanes
            FloatVector za = FloatVector.fromArray(S, x, r1).mul(p1);
            FloatVector qa = FloatVector.fromArray(S, x, r1).mul(q1);
            za = FloatVector.fromArray(S, x, r2).fma(p2, za);
            qa = FloatVector.fromArray(S, x, r2).fma(q2, qa);
            FloatVector zb = FloatVector.fromArray(S, x, r1 + L).mul(p1);
            zb = FloatVector.fromArray(S, x, r2 + L).fma(p2, zb);
            FloatVector qb = FloatVector.fromArray(S, x, r1 + L - 2).mul(q1);
            qb = FloatVector.fromArray(S, x, r2 + L - 2).fma(q2, qb);
            if (!top) {
                za = FloatVector.fromArray(S, x, r0).fma(p0, za);
                qa = FloatVector.fromArray(S, x, r0).fma(q0, qa);
                zb = FloatVector.fromArray(S, x, r0 + L).fma(p0, zb);
                qb = FloatVector.fromArray(S, x, r0 + L - 2).fma(q0, qb);
            }
            za = za.add(qa.rearrange(UP2).blend(zero, EVEN_OR_1)).rearrange(SPLIT);
            zb = zb.add(qb.blend(zero, EVEN)).rearrange(SPLIT);
            // each even lane plus the odd lane after it: a's sums in the lower half, b's in the upper
            FloatVector acc = za.add(za.rearrange(SWAP)).blend(zb.add(zb.rearrange(SWAP)), UPPER).add(b);
            if (clamp) {
                acc = acc.max(vlo).min(vhi);
            }
            if (outW >= L || oy < d.outH - 1) {
                acc.intoArray(y, dst); // a short row's store runs into the next row, which rewrites it
            } else {
                // the plane's last short row, only its own outputs: through the last L floats of the
                // scratch's work area, which no path reads as padding (a later plane may take the phases)
                int tail = sOff + d.workSize() - L;
                acc.intoArray(s, tail);
                System.arraycopy(s, tail, y, dst, outW);
            }
            // counted passes, see the class comment
            for (int from = L, to = last - last % L; outW > L; from = to = last) {
                for (int o = from; o <= to; o += L) {
                    int c = 2 * o;
                    za = FloatVector.fromArray(S, x, r1 + c).mul(p1);
                    za = FloatVector.fromArray(S, x, r2 + c).fma(p2, za);
                    qa = FloatVector.fromArray(S, x, r1 + c - 2).mul(q1);
                    qa = FloatVector.fromArray(S, x, r2 + c - 2).fma(q2, qa);
                    zb = FloatVector.fromArray(S, x, r1 + c + L).mul(p1);
                    zb = FloatVector.fromArray(S, x, r2 + c + L).fma(p2, zb);
                    qb = FloatVector.fromArray(S, x, r1 + c + L - 2).mul(q1);
                    qb = FloatVector.fromArray(S, x, r2 + c + L - 2).fma(q2, qb);
                    if (!top) {
                        za = FloatVector.fromArray(S, x, r0 + c).fma(p0, za);
                        qa = FloatVector.fromArray(S, x, r0 + c - 2).fma(q0, qa);
                        zb = FloatVector.fromArray(S, x, r0 + c + L).fma(p0, zb);
                        qb = FloatVector.fromArray(S, x, r0 + c + L - 2).fma(q0, qb);
                    }
                    za = za.add(qa.blend(zero, EVEN)).rearrange(SPLIT);
                    zb = zb.add(qb.blend(zero, EVEN)).rearrange(SPLIT);
                    acc = za.add(za.rearrange(SWAP)).blend(zb.add(zb.rearrange(SWAP)), UPPER).add(b);
                    if (clamp) {
                        acc = acc.max(vlo).min(vhi);
                    }
                    acc.intoArray(y, dst + o);
                }
                if (to == last) {
                    break;
                }
            }
        }
    }

    private static void stride2(Depthwise3x3 d, float[] wt, int wOff, float bias, float[] s, int sOff, float[] y,
                                int yOff, boolean clamp, float lo, float hi) {
        FloatVector w0 = FloatVector.broadcast(S, wt[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, wt[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, wt[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, wt[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, wt[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, wt[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, wt[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, wt[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, wt[wOff + 8]);
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector zero = FloatVector.zero(S);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        float[] columns = d.columns;
        int n = d.outW;
        int p00 = sOff + d.source(0); // even rows, even columns
        int p01 = sOff + d.source(1); // even rows, odd columns
        int p10 = sOff + d.source(2); // odd rows, even columns
        int p11 = sOff + d.source(3); // odd rows, odd columns
        int last = d.outSize - L;
        // counted passes, see the class comment
        for (int from = 0, to = last - last % L; ; from = to = last) {
            for (int p = from; p <= to; p += L) {
                FloatVector left = FloatVector.fromArray(S, s, p11 + p - n - 1).mul(w0);
                left = FloatVector.fromArray(S, s, p01 + p - 1).fma(w3, left);
                left = FloatVector.fromArray(S, s, p11 + p - 1).fma(w6, left);
                FloatVector mid = FloatVector.fromArray(S, s, p10 + p - n).fma(w1, b);
                mid = FloatVector.fromArray(S, s, p00 + p).fma(w4, mid);
                mid = FloatVector.fromArray(S, s, p10 + p).fma(w7, mid);
                mid = FloatVector.fromArray(S, s, p11 + p - n).fma(w2, mid);
                mid = FloatVector.fromArray(S, s, p01 + p).fma(w5, mid);
                mid = FloatVector.fromArray(S, s, p11 + p).fma(w8, mid);
                FloatVector ox = FloatVector.fromArray(S, columns, p);
                FloatVector acc = mid.add(left.blend(zero, ox.compare(VectorOperators.EQ, 0f)));
                if (clamp) {
                    acc = acc.max(vlo).min(vhi);
                }
                acc.intoArray(y, yOff + p);
            }
            if (to == last) {
                break;
            }
        }
    }

    /**
     * One image of a {@link SmallPlaneDepthwise} convolution: the stride-1 outputs of every plane in
     * one vector loop over the flattened image (per-lane weights and bias, the taps grouped by kernel
     * row, the wrapping columns and the rows above the first and below the last dropped by blends),
     * straight into y for stride 1, into the scratch and then every other row and column for stride 2.
     * A dropped tap is replaced, not multiplied by zero, so an infinity in a neighbouring plane stays
     * out of this one.
     */
    static void image(NnLoops loops, SmallPlaneDepthwise sp, float[] x, int xOff, Epilogue e, float[] s, int sOff,
                      float[] y, int yOff) {
        Depthwise3x3 d = sp.d;
        Depthwise3x3 full = sp.full;
        if (full != null) {
            for (int c = 0; c < sp.channels; c++) {
                shortStride2(loops, d, full, x, xOff + c * full.outSize, sp.channelWeights, c * 9, sp.channelBias[c], e, s,
                        sOff, y, yOff + c * d.outSize);
            }
            return;
        }
        sp.fill(x, xOff, s, sOff);
        int size = sp.size;
        boolean direct = sp.d.stride == 1;
        float[] out = direct ? y : s;
        int outOff = direct ? yOff : sOff + size + 2 * sp.guard;
        boolean clamp = e.clamps();
        FloatVector vlo = FloatVector.broadcast(S, clamp ? e.lo() : Float.NEGATIVE_INFINITY);
        FloatVector vhi = FloatVector.broadcast(S, clamp ? e.hi() : Float.POSITIVE_INFINITY);
        FloatVector zero = FloatVector.zero(S);
        float[] wt = sp.weights;
        float[] rows = sp.rows;
        float[] columns = sp.columns;
        float bottom = sp.d.h - 1;
        float rightmost = sp.d.w - 1;
        int n = sp.d.w;
        int base = sOff + sp.guard;
        int last = size - L;
        // counted passes, see the class comment
        for (int from = 0, to = last - last % L; ; from = to = last) {
            for (int p = from; p <= to; p += L) {
                int i = base + p;
                FloatVector ox = FloatVector.fromArray(S, columns, p);
                FloatVector oy = FloatVector.fromArray(S, rows, p);
                VectorMask<Float> left = ox.compare(VectorOperators.EQ, 0f);
                VectorMask<Float> right = ox.compare(VectorOperators.EQ, rightmost);
                FloatVector up = FloatVector.fromArray(S, s, i - n - 1).mul(FloatVector.fromArray(S, wt, p))
                        .blend(zero, left);
                up = FloatVector.fromArray(S, s, i - n).fma(FloatVector.fromArray(S, wt, size + p), up);
                up = up.add(FloatVector.fromArray(S, s, i - n + 1).mul(FloatVector.fromArray(S, wt, 2 * size + p))
                        .blend(zero, right));
                FloatVector mid = FloatVector.fromArray(S, s, i - 1).mul(FloatVector.fromArray(S, wt, 3 * size + p))
                        .blend(zero, left);
                mid = FloatVector.fromArray(S, s, i).fma(FloatVector.fromArray(S, wt, 4 * size + p), mid);
                mid = mid.add(FloatVector.fromArray(S, s, i + 1).mul(FloatVector.fromArray(S, wt, 5 * size + p))
                        .blend(zero, right));
                FloatVector down = FloatVector.fromArray(S, s, i + n - 1).mul(FloatVector.fromArray(S, wt, 6 * size + p))
                        .blend(zero, left);
                down = FloatVector.fromArray(S, s, i + n).fma(FloatVector.fromArray(S, wt, 7 * size + p), down);
                down = down.add(FloatVector.fromArray(S, s, i + n + 1).mul(FloatVector.fromArray(S, wt, 8 * size + p))
                        .blend(zero, right));
                FloatVector acc = FloatVector.fromArray(S, sp.bias, p).add(mid)
                        .add(up.blend(zero, oy.compare(VectorOperators.EQ, 0f)))
                        .add(down.blend(zero, oy.compare(VectorOperators.EQ, bottom)));
                if (clamp) {
                    acc = acc.max(vlo).min(vhi);
                }
                acc.intoArray(out, outOff + p);
            }
            if (to == last) {
                break;
            }
        }
        if (!direct) {
            for (int c = 0; c < sp.channels; c++) {
                loops.subsample(s, outOff + c * d.h * d.w, d.w, 2, 2, d.outH, d.outW, y, yOff + c * d.outSize);
            }
        }
        if (!clamp) {
            e.activation().apply(y, yOff, yOff + sp.channels * sp.d.outSize);
        }
    }

    /**
     * {@link NnLoops#maxPool2x2} for planes of even width (w == 2 * outW) with at least one vector of
     * outputs: the pairs of input rows max'ed into s (row by row), then, as s is the plane's outputs'
     * horizontal pairs one after another, one loop over it that splits two vectors into their even
     * and odd lanes and takes the max of the two. Both loops end with a vector overlapping the one
     * before it.
     */
    static void maxPool2x2(float[] x, int xOff, int w, int outH, int outW, float[] s, int sOff, float[] y, int yOff) {
        for (int oy = 0; oy < outH; oy++) {
            int r0 = xOff + 2 * oy * w;
            int d = sOff + oy * w;
            if (w < L) {
                for (int i = 0; i < w; i++) {
                    s[d + i] = Math.max(x[r0 + i], x[r0 + w + i]);
                }
                continue;
            }
            int last = w - L;
            // counted passes, see the class comment
            for (int from = 0, to = last - last % L; ; from = to = last) {
                for (int i = from; i <= to; i += L) {
                    FloatVector.fromArray(S, x, r0 + i).max(FloatVector.fromArray(S, x, r0 + w + i)).intoArray(s, d + i);
                }
                if (to == last) {
                    break;
                }
            }
        }
        int last = outH * outW - L;
        for (int from = 0, to = last - last % L; ; from = to = last) {
            for (int p = from; p <= to; p += L) {
                FloatVector a = FloatVector.fromArray(S, s, sOff + 2 * p).rearrange(SPLIT);
                FloatVector b = FloatVector.fromArray(S, s, sOff + 2 * p + L).rearrange(SPLIT);
                FloatVector even = a.blend(b.rearrange(SWAP), UPPER);
                FloatVector odd = b.blend(a.rearrange(SWAP), LOWER);
                even.max(odd).intoArray(y, yOff + p);
            }
            if (to == last) {
                break;
            }
        }
    }
}
