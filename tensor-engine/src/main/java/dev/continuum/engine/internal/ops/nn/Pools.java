package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/** Shape helpers and dtype conversions shared by the pooling kernels. */
final class Pools {
    private Pools() {
    }

    static ConvGeometry geometry(WindowAttributes window, int[] x) {
        if (x.length < 3) {
            throw new IllegalArgumentException("input X must have rank >= 3 (N, C, D1, ...), got " + Shapes.str(x));
        }
        return window.resolve(Arrays.copyOfRange(x, 2, x.length), window.kernelShape);
    }

    /** (N, C, out...). */
    static int[] outShape(int[] x, ConvGeometry g) {
        int[] s = x.clone();
        System.arraycopy(g.out(), 0, s, 2, g.rank());
        return s;
    }

    /** The output shape for a partially known input shape, or null when its rank is unknown. */
    static int[] inferShape(WindowAttributes window, int[] x) {
        if (x == null) {
            return null;
        }
        return outShape(x, geometry(window, x));
    }

    /** int8 or uint8 data as floats (exact). */
    static float[] toFloats(Tensor x) {
        byte[] b = x.byteData();
        boolean unsigned = x.dataType() == DataType.UINT8;
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = unsigned ? b[i] & 0xFF : b[i];
        }
        return f;
    }

    /** Floats holding int8 or uint8 values back as bytes. */
    static byte[] toBytes(float[] f) {
        byte[] b = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = (byte) (int) f[i];
        }
        return b;
    }

    /** The cached plan of one input shape: geometry, its windows and the polyphase layout (or null). */
    record Plan(int[] xDims, ConvGeometry g, PoolWindows windows, Phases phases, Depthwise3x3 direct3x3,
                float[] divisor) {
        static Plan of(WindowAttributes window, int[] x) {
            ConvGeometry g = geometry(window, x);
            return new Plan(x.clone(), g, new PoolWindows(g), Phases.of(g), Depthwise3x3.of(g), null);
        }

        Plan withDivisor(float[] d) {
            return new Plan(xDims, g, windows, phases, direct3x3, d);
        }
    }

    /**
     * Units of {@link dev.continuum.engine.internal.ops.ExecContext#worthSplitting} work per output of
     * {@link #maxPool3x3}: an output costs about 1.3 ns, as long as some 100 flops of the GEMM. At 9
     * (its compares) resnet18's pool (200,000 outputs, 270 us) stayed on one thread; split, resnet18
     * at 2 threads 21.14 -> 20.97 ms (in-process A/B).
     */
    private static final long MAX_POOL_WORK = 96;

    /** A 3x3 max pool, pads 1, stride 1 or 2 ({@link Depthwise3x3} layout), plane by plane. Returns y (from the arena). */
    static float[] maxPool3x3(dev.continuum.engine.internal.ops.ExecContext ctx, Depthwise3x3 d, int planes,
                              float[] x) {
        float[] y = ctx.floats(planes * d.outSize);
        int threads = Math.min(ctx.threads(), planes);
        if (!ctx.worthSplitting(MAX_POOL_WORK * planes * d.outSize)) {
            threads = 1;
        }
        int per = d.workSize();
        float[] scratch = ctx.floats(threads * per);
        java.util.Arrays.fill(scratch, 0, threads * per, Float.NEGATIVE_INFINITY); // the guards: padding
        NnLoops loops = NnLoops.get();
        int imageSize = d.h * d.w;
        int t = threads;
        ctx.parallelFor(t, 1, (t0, t1) -> {
            for (int ti = t0; ti < t1; ti++) {
                for (int p = planes * ti / t, end = planes * (ti + 1) / t; p < end; p++) {
                    loops.maxPool3x3(d, x, p * imageSize, scratch, ti * per, y, p * d.outSize);
                }
            }
        });
        ctx.recycle(scratch);
        return y;
    }

    /**
     * A 2x2 max pool at stride 2 without pads, every window inside the plane, plane by plane through
     * {@link NnLoops#maxPool2x2}: each output the max of two adjacent pairs of two input rows, read in
     * place by the scalar loops, the row pairs max'ed first by the vector loops (the polyphase path
     * copies each plane into its phases first, which on LeNet's pools was most of their cost).
     * Returns y (from the arena).
     */
    static float[] maxPool2x2(dev.continuum.engine.internal.ops.ExecContext ctx, int planes, int h, int w, int outH,
                              int outW, float[] x) {
        float[] y = ctx.floats(planes * outH * outW);
        int threads = ctx.worthSplitting(4L * planes * h * w) ? Math.min(ctx.threads(), planes) : 1;
        int per = outH * w; // a plane's row pairs, max'ed
        float[] scratch = ctx.floats(threads * per);
        NnLoops loops = NnLoops.get();
        ctx.parallelFor(threads, 1, (t0, t1) -> {
            for (int ti = t0; ti < t1; ti++) {
                for (int p = planes * ti / threads, end = planes * (ti + 1) / threads; p < end; p++) {
                    loops.maxPool2x2(x, p * h * w, w, outH, outW, scratch, ti * per, y, p * outH * outW);
                }
            }
        });
        ctx.recycle(scratch);
        return y;
    }

    /**
     * Runs a 2-D float pool plane by plane on the polyphase layout: {@code max} taps or summed taps,
     * the sums divided by {@code divisor[oy * outW + ox]}. Returns y (from the arena).
     */
    static float[] poolPhases(dev.continuum.engine.internal.ops.ExecContext ctx, Phases ph, int planes, float[] x,
                              boolean max, float[] divisor) {
        int outSize = ph.outH * ph.outW;
        int imageSize = ph.h * ph.w;
        float[] y = ctx.floats(planes * outSize);
        int threads = Math.min(ctx.threads(), planes);
        if (!ctx.worthSplitting((long) planes * ph.count * ph.tapOffsets.length)) {
            threads = 1;
        }
        int per = ph.size + ph.count;
        float[] scratch = ctx.floats(threads * per);
        NnLoops loops = NnLoops.get();
        int t = threads;
        ctx.parallelFor(t, 1, (t0, t1) -> {
            for (int ti = t0; ti < t1; ti++) {
                int dOff = ti * per;
                int tOff = dOff + ph.size;
                for (int p = planes * ti / t, end = planes * (ti + 1) / t; p < end; p++) {
                    ph.fill(x, p * imageSize, scratch, dOff, max ? Float.NEGATIVE_INFINITY : 0f);
                    if (max) {
                        loops.maxTaps(scratch, dOff, ph.tapOffsets, scratch, tOff, ph.count);
                    } else {
                        loops.sumTaps(scratch, dOff, ph.tapOffsets, scratch, tOff, ph.count);
                    }
                    int yOff = p * outSize;
                    for (int oy = 0; oy < ph.outH; oy++) {
                        int src = tOff + oy * ph.wh;
                        int dst = yOff + oy * ph.outW;
                        if (max) {
                            System.arraycopy(scratch, src, y, dst, ph.outW);
                        } else {
                            for (int ox = 0; ox < ph.outW; ox++) {
                                y[dst + ox] = scratch[src + ox] / divisor[oy * ph.outW + ox];
                            }
                        }
                    }
                }
            }
        });
        ctx.recycle(scratch);
        return y;
    }
}
