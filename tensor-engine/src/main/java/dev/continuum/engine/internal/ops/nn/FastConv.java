package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.gemm.PackedMatrix;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/**
 * 2-D float Conv with constant weights (and bias), made by {@link Conv#specialize}. Three paths,
 * chosen per input shape:
 * <ul>
 *   <li>depthwise ({@code group == C == M}): per plane, the padded input in {@link Phases} layout
 *       and one vector loop over the flattened output per plane, bias and activation fused;</li>
 *   <li>wide outputs ({@value #SMALL_N} positions or more): the output positions split into
 *       blocks; per block the im2col columns (none for 1x1 stride 1 unpadded: X is already the
 *       matrix), one SGEMM {@code Y[:, block] = W * col} straight into Y, then bias and activation
 *       on the block while it is in cache. Blocks run in parallel, each with its own scratch;</li>
 *   <li>narrow outputs: W^T packed once at load, {@code Y^T = col^T * W^T} with
 *       {@link Sgemm#sgemmPacked} (parallel over output channels), transposed into Y with bias and
 *       activation.</li>
 * </ul>
 * Anything else (other ranks, dilated depthwise, non-float) goes to the generic {@link Conv}.
 */
final class FastConv implements Kernel {
    /** Output positions below which the packed-weights path wins (one block, weights read once). */
    static final int SMALL_N = 256;

    private final Conv generic;
    private final WindowAttributes window;
    private final int group;
    private final Epilogue epilogue;
    private final float[] w; // (M, C/group, kh, kw)
    private final float[] bias; // (M), zeros without B
    private final boolean hasBias;
    private final int m;
    private final int cg; // C / group
    private final int kh;
    private final int kw;
    private final PackedMatrix[] packed; // per group: W[g]^T (K, M/group); null for depthwise
    private final NnLoops loops;
    private volatile Plan last; // the plan of the last input shape seen

    /** What one input shape needs; immutable, shared by concurrent runs. */
    private record Plan(int[] xDims, ConvGeometry g, Phases phases) { // phases: the depthwise path
    }

    FastConv(Conv generic, WindowAttributes window, int group, Epilogue epilogue, Tensor wt, Tensor bt,
             NnLoops loops) {
        this.loops = loops;
        this.generic = generic;
        this.window = window;
        this.group = group;
        this.epilogue = epilogue;
        this.w = wt.floatData();
        this.m = wt.dim(0);
        this.cg = wt.dim(1);
        this.kh = wt.dim(2);
        this.kw = wt.dim(3);
        this.hasBias = bt != null;
        this.bias = bt != null ? bt.floatData().clone() : new float[m];
        boolean depthwiseWeights = cg == 1 && group == m;
        if (depthwiseWeights) {
            packed = null;
        } else {
            int mg = m / group;
            int k = cg * kh * kw;
            packed = new PackedMatrix[group];
            for (int gi = 0; gi < group; gi++) {
                packed[gi] = Sgemm.get().packB(true, k, mg, w, gi * mg * k, k);
            }
        }
    }

    /** The specialised kernel for a Conv node, or null when its weights or shapes do not allow one. */
    static Kernel of(Conv generic, WindowAttributes window, int group, Epilogue epilogue, TypeContext ctx) {
        Tensor wt = ctx.constant(1);
        Tensor bt = ctx.inputCount() > 2 && ctx.hasInput(2) ? ctx.constant(2) : null;
        if (wt == null || wt.dataType() != DataType.FLOAT || wt.rank() != 4) {
            return null;
        }
        if (ctx.inputCount() > 2 && ctx.hasInput(2) && (bt == null || bt.dataType() != DataType.FLOAT
                || bt.rank() != 1 || bt.dim(0) != wt.dim(0))) {
            return null;
        }
        ValueType x = ctx.input(0);
        if (x.type() != null && x.type() != DataType.FLOAT) {
            return null;
        }
        if (x.hasRank() && x.rank() != 4) {
            return null;
        }
        if (wt.dim(0) % group != 0 || wt.size() == 0) {
            return null;
        }
        if (window.kernelShape != null && (window.kernelShape.length != 2 || window.kernelShape[0] != wt.dim(2)
                || window.kernelShape[1] != wt.dim(3))) {
            return null;
        }
        return new FastConv(generic, window, group, epilogue, wt, bt, NnLoops.get());
    }

    private Plan plan(int[] xDims) {
        Plan p = last;
        if (p != null && Arrays.equals(p.xDims, xDims)) {
            return p;
        }
        int c = xDims[1];
        ConvGeometry g = window.resolve(Arrays.copyOfRange(xDims, 2, 4), new int[] {kh, kw});
        Phases phases = group == c && group == m && cg == 1 ? Phases.of(g) : null; // null when dilated
        p = new Plan(xDims.clone(), g, phases);
        last = p;
        return p;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.dataType() != DataType.FLOAT || x.rank() != 4 || x.dim(1) != cg * group) {
            return generic.compute(ctx, in); // the generic kernel names what is wrong
        }
        Plan p = plan(x.dims());
        int n = x.dim(0);
        int outSize = p.g.outSize();
        float[] y = ctx.floats(n * m * outSize);
        if (y.length > 0) {
            if (p.phases != null) {
                depthwise(ctx, p, n, x.floatData(), y);
            } else if (outSize >= SMALL_N) {
                blocked(ctx, p.g, n, x.floatData(), y);
            } else {
                packedProduct(ctx, p.g, n, x.floatData(), y);
            }
        }
        return new Tensor[] {Tensor.of(DataType.FLOAT, new int[] {n, m, p.g.out()[0], p.g.out()[1]}, y)};
    }

    // ---- depthwise ----

    private void depthwise(ExecContext ctx, Plan p, int n, float[] x, float[] y) {
        Phases ph = p.phases;
        int planes = n * m;
        int threads = Math.min(ctx.threads(), planes);
        long work = (long) planes * ph.count * kh * kw;
        if (work < 65536) {
            threads = 1;
        }
        int per = ph.size + ph.count;
        float[] scratch = ctx.floats(threads * per);
        int t = threads;
        int imageSize = ph.h * ph.w;
        int outSize = ph.outH * ph.outW;
        ctx.parallelFor(t, 1, (t0, t1) -> {
            for (int ti = t0; ti < t1; ti++) {
                int dOff = ti * per;
                for (int plane = planes * ti / t, end = planes * (ti + 1) / t; plane < end; plane++) {
                    int ch = plane % m;
                    depthwisePlane(ph, x, plane * imageSize, ch, scratch, dOff, y, plane * outSize);
                }
            }
        });
        ctx.recycle(scratch);
    }

    private void depthwisePlane(Phases ph, float[] x, int xOff, int ch, float[] scratch, int dOff,
                                float[] y, int yOff) {
        // the phases at scratch[dOff, dOff + size), the flattened results right after them
        int tOff = dOff + ph.size;
        ph.fill(x, xOff, scratch, dOff, 0f);
        loops.weightedTaps(scratch, dOff, ph.tapOffsets, w, ch * kh * kw, bias[ch], scratch, tOff, ph.count);
        for (int oy = 0; oy < ph.outH; oy++) {
            loops.biasActivation(scratch, tOff + oy * ph.wh, y, yOff + oy * ph.outW, ph.outW, 0f, epilogue);
        }
    }

    // ---- wide outputs: blocked im2col + SGEMM straight into Y ----

    private void blocked(ExecContext ctx, ConvGeometry g, int n, float[] x, float[] y) {
        int outSize = g.outSize();
        int k = cg * kh * kw;
        boolean pointwise = g.isPointwise();
        int nb = Math.max(256, Math.min(1024, 262144 / Math.max(1, k)));
        if (ctx.threads() > 1 && n * group < ctx.threads()) {
            nb = Math.min(nb, (outSize + ctx.threads() - 1) / ctx.threads());
        }
        nb = Math.min(outSize, (nb + 15) / 16 * 16);
        int blocks = (outSize + nb - 1) / nb;
        int tasks = n * group * blocks;
        int threads = Math.min(ctx.threads(), tasks);
        int colSize = pointwise ? 0 : k * nb;
        float[] col = colSize == 0 ? null : ctx.floats(threads * colSize);
        int blockSize = nb;
        if (threads > 1) {
            int t = threads;
            ctx.parallelFor(t, 1, (t0, t1) -> {
                for (int ti = t0; ti < t1; ti++) {
                    for (int task = tasks * ti / t, end = tasks * (ti + 1) / t; task < end; task++) {
                        block(ExecContext.serial(), g, task, blocks, blockSize, x, y, col, ti * colSize);
                    }
                }
            });
        } else {
            for (int task = 0; task < tasks; task++) {
                block(ctx, g, task, blocks, blockSize, x, y, col, 0);
            }
        }
        if (col != null) {
            ctx.recycle(col);
        }
    }

    /** One (image, group, block of output positions) of the wide path. */
    private void block(ExecContext ctx, ConvGeometry g, int task, int blocks, int nb, float[] x, float[] y,
                       float[] col, int colOff) {
        int blk = task % blocks;
        int gi = task / blocks % group;
        int img = task / blocks / group;
        int outSize = g.outSize();
        int mg = m / group;
        int k = cg * kh * kw;
        int n0 = blk * nb;
        int len = Math.min(nb, outSize - n0);
        int imageSize = g.imageSize();
        int xOff = (img * group + gi) * cg * imageSize;
        int yOff = (img * m + gi * mg) * outSize + n0;
        float[] b;
        int bOff;
        int ldb;
        if (col == null) {
            b = x;
            bOff = xOff + n0;
            ldb = outSize;
        } else {
            im2colBlock(g, x, xOff, cg, n0, len, col, colOff);
            b = col;
            bOff = colOff;
            ldb = len;
        }
        Sgemm.get().sgemm(false, false, mg, len, k, 1f, w, gi * mg * k, k, b, bOff, ldb, 0f, y, yOff, outSize, ctx);
        if (hasBias || !epilogue.isNone()) {
            for (int r = 0; r < mg; r++) {
                int row = yOff + r * outSize;
                loops.biasActivation(y, row, y, row, len, bias[gi * mg + r], epilogue);
            }
        }
    }

    /**
     * col[colOff + r * len + q] for row r = (channel, ky, kx) and output position n0 + q: the input
     * value the window of that position reads at that kernel offset, zero in the padding.
     */
    static void im2colBlock(ConvGeometry g, float[] x, int xOff, int channels, int n0, int len, float[] col,
                            int colOff) {
        int h = g.image()[0];
        int wd = g.image()[1];
        int kh = g.kernel()[0];
        int kw = g.kernel()[1];
        int outW = g.out()[1];
        int sh = g.strides()[0];
        int sw = g.strides()[1];
        int dh = g.dilations()[0];
        int dw = g.dilations()[1];
        int padT = g.padBegin()[0];
        int padL = g.padBegin()[1];
        int rows = channels * kh * kw;
        for (int r = 0; r < rows; r++) {
            int c = r / (kh * kw);
            int ky = r / kw % kh;
            int kx = r % kw;
            int plane = xOff + c * h * wd;
            int dst = colOff + r * len;
            int shift = kx * dw - padL;
            // output columns ox with 0 <= ox * sw + shift < wd
            int oxLo = Math.max(0, Math.floorDiv(-shift + sw - 1, sw));
            int oxHi = Math.min(outW, Math.floorDiv(wd - 1 - shift, sw) + 1);
            int p = n0;
            int end = n0 + len;
            int oy = p / outW;
            int ox = p % outW;
            while (p < end) {
                int seg = Math.min(outW - ox, end - p);
                int iy = oy * sh + ky * dh - padT;
                if (iy < 0 || iy >= h) {
                    Arrays.fill(col, dst, dst + seg, 0f);
                } else {
                    int lo = Math.min(Math.max(oxLo, ox), ox + seg);
                    int hi = Math.max(Math.min(oxHi, ox + seg), lo);
                    if (lo > ox) {
                        Arrays.fill(col, dst, dst + lo - ox, 0f);
                    }
                    int src = plane + iy * wd + shift;
                    if (sw == 1) {
                        System.arraycopy(x, src + lo, col, dst + lo - ox, hi - lo);
                    } else {
                        for (int q = lo; q < hi; q++) {
                            col[dst + q - ox] = x[src + q * sw];
                        }
                    }
                    if (hi < ox + seg) {
                        Arrays.fill(col, dst + hi - ox, dst + seg, 0f);
                    }
                }
                dst += seg;
                p += seg;
                ox = 0;
                oy++;
            }
        }
    }

    // ---- narrow outputs: packed W^T, Y^T = col^T * W^T ----

    private void packedProduct(ExecContext ctx, ConvGeometry g, int n, float[] x, float[] y) {
        int outSize = g.outSize();
        int mg = m / group;
        int k = cg * kh * kw;
        boolean pointwise = g.isPointwise();
        float[] col = pointwise ? null : ctx.floats(k * outSize);
        float[] ct = ctx.floats(outSize * mg);
        int imageSize = g.imageSize();
        for (int img = 0; img < n; img++) {
            for (int gi = 0; gi < group; gi++) {
                int xOff = (img * group + gi) * cg * imageSize;
                float[] a = x;
                int aOff = xOff;
                if (col != null) {
                    im2colBlock(g, x, xOff, cg, 0, outSize, col, 0);
                    a = col;
                    aOff = 0;
                }
                Sgemm.get().sgemmPacked(true, outSize, 1f, a, aOff, outSize, packed[gi], 0f, ct, 0, mg, ctx);
                int yOff = (img * m + gi * mg) * outSize;
                transpose(ct, outSize, mg, y, yOff);
                for (int r = 0; r < mg; r++) {
                    int row = yOff + r * outSize;
                    loops.biasActivation(y, row, y, row, outSize, bias[gi * mg + r], epilogue);
                }
            }
        }
        if (col != null) {
            ctx.recycle(col);
        }
        ctx.recycle(ct);
    }

    /** y[yOff + c * rows + r] = t[r * cols + c]: (rows, cols) to (cols, rows), in tiles of 16 columns. */
    private static void transpose(float[] t, int rows, int cols, float[] y, int yOff) {
        for (int c0 = 0; c0 < cols; c0 += 16) {
            int c1 = Math.min(cols, c0 + 16);
            for (int r = 0; r < rows; r++) {
                int src = r * cols;
                for (int c = c0; c < c1; c++) {
                    y[yOff + c * rows + r] = t[src + c];
                }
            }
        }
    }

    /** This kernel on other loops (the scalar reference, for the differential test). */
    FastConv withLoops(NnLoops other) {
        Tensor wt = Tensor.ofFloats(new int[] {m, cg, kh, kw}, w);
        Tensor bt = hasBias ? Tensor.ofFloats(new int[] {m}, bias) : null;
        return new FastConv(generic, window, group, epilogue, wt, bt, other);
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return generic.inferTypes(ctx);
    }
}
