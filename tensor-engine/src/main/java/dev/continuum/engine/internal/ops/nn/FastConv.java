package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.gemm.PackedMatrix;
import dev.continuum.engine.internal.gemm.PackedRows;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.FusedActivation;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/**
 * 2-D float Conv with constant weights (and bias), made by {@link Conv#specialize}. Five paths,
 * chosen per input shape:
 * <ul>
 *   <li>3x3 of stride 1 with 128 channels and more in and out, in a run that does not split
 *       ({@link #winogradPays}): Winograd's F(2x2, 3x3) ({@link Winograd3x3}), its transformed weights
 *       packed at load; a split run of such a layer takes the path below it would take otherwise;</li>
 *   <li>3x3 depthwise with pads 1, stride 1 or stride 2 on even planes ({@link Depthwise3x3}): per
 *       plane, one vector loop over the flattened output from a guarded copy of the plane (stride 1) or of its
 *       four phases (stride 2), bias and activation fused; planes smaller than a vector a whole image
 *       at a time ({@link SmallPlaneDepthwise});</li>
 *   <li>other depthwise ({@code group == C == M}): per plane, the padded input in {@link Phases} layout
 *       and one vector loop over the flattened output per plane, bias and activation fused;</li>
 *   <li>a product over the taps, no im2col ({@link #direct}, where {@link #directPays}): the channels'
 *       {@link Phases} filled once, and per block of output rows {@link Sgemm#multiplyTaps} reads each
 *       (channel, tap) row of the column matrix straight from them, with bias and a clamping
 *       activation (none, Relu, Clip) in its stores; the block's flattened rows are then copied into
 *       Y without their throw-away columns. Pointwise layers with enough positions multiply the same
 *       way straight from X's channel planes into Y, in the blocks of the next path;</li>
 *   <li>everything else: W packed once at load into the GEMM's row strips; the output positions
 *       split into blocks, and per block im2col written straight into the GEMM's column panels
 *       ({@link PanelIm2Col}; a 1x1 stride-1 convolution copies X's rows), one
 *       {@link Sgemm#multiplyPanels} {@code Y[:, block] = W * panels} straight into Y, then bias and
 *       activation on the block while it is in cache. Blocks run in parallel, each with its own
 *       panels, once the convolution has enough flops to be worth splitting
 *       ({@link ExecContext#worthSplitting});</li>
 *   <li>few output positions (outputs narrower than one panel, deep layers on small planes, and
 *       layers whose output channels fill whole panels, see {@link #multipliesTransposed}): W^T packed on first use,
 *       {@code Y^T = col^T * W^T} with {@link Sgemm#multiplyGathered} reading col^T in place from X's
 *       padded planes (a dilated layer, or without AVX-512: im2col into strips and
 *       {@link Sgemm#multiplyStrips}), bias and activation on Y^T, transposed into Y.</li>
 * </ul>
 * Anything else (other ranks, dilated depthwise, non-float) goes to the generic {@link Conv}.
 */
final class FastConv implements Kernel {

    private final Conv generic;
    private final WindowAttributes window;
    private final int group;
    private final Epilogue epilogue;
    /** Whether the kernel takes a fourth input R of Y's shape and computes act(conv(X) + B + R) ({@link #withResidual}). */
    private final boolean residual;
    /**
     * Whether the products over the taps store the bias (and a clamping activation when there is no
     * residual to add first): a clamping activation or a residual, whose sum and activation then take
     * a pass over whole blocks of Y rather than the scratch's short rows.
     */
    private final boolean storesBias;
    /**
     * W (M, C/group, kh, kw), or null once the layout a run of the planned shape multiplies with is packed
     * ({@link #weights} unpacks it for a layout or a fallback needed later): W's floats stay on the heap
     * only where a kernel reads them as they are (depthwise) or a second layout is likely (Winograd's
     * U, which 2-thread runs pair with the direct product's layout). Written only while constructing.
     */
    private float[] w;
    private final float[] bias; // (M), zeros without B
    private final boolean hasBias;
    private final int m;
    private final int cg; // C / group
    private final int kh;
    private final int kw;
    private final boolean depthwiseWeights;
    private volatile PackedRows[] rows; // per group: W[g] (M/group, K) in GEMM row strips, made when first needed
    private volatile PackedMatrix[] transposed; // per group: W[g]^T (K, M/group), made when first needed
    private volatile PackedRows[][] winogradWeights; // Winograd3x3's 16 transformed matrices, made when first needed
    // W's strips in one share per thread, for {@link #directByStrips} and {@link #pointwiseByRows}
    private volatile StripShares stripShares;
    private final NnLoops loops;
    private volatile Plan last; // the plan of the last input shape seen

    /**
     * What one input shape needs; immutable, shared by concurrent runs. {@code depthwise3x3}: the
     * direct 3x3 depthwise layout (null when the window is not one); {@code depthwise}: the general
     * depthwise path's layout; {@code smallPlanes}: the whole-image layout of a direct 3x3 depthwise
     * whose planes are smaller than a vector (null otherwise, and on the scalar loops);
     * {@code im2col}: the layout the GEMM panels are copied from (null for pointwise and dilated
     * convolutions); {@code taps}: where each row of the column matrix starts in the phases (with
     * im2col) or in X (pointwise), when the layer multiplies over them (null otherwise); {@code subsampled}:
     * for a strided 1x1 window without pads, the plan of the pointwise layer on X subsampled by the
     * strides (null otherwise); {@code transposed}: whether the layer computes {@code Y^T = col^T * W^T}
     * ({@link #packedProduct}), and then {@code gathered}: its left-hand side read in place from X's
     * padded planes (null for pointwise and dilated layers, and without AVX-512's tile), or else
     * {@code narrowTable}: {@link PanelIm2Col#narrowTable}, to gather it into strips (null for pointwise
     * layers and otherwise); {@code winograd}: the layer's {@link Winograd3x3}, for its runs that do not
     * split (null where it does not pay).
     */
    private record Plan(int[] xDims, ConvGeometry g, Depthwise3x3 depthwise3x3, SmallPlaneDepthwise smallPlanes,
                        Phases depthwise, Phases im2col, int[] taps, boolean transposed, Gathered gathered,
                        int[] narrowTable, Plan subsampled, Winograd3x3 winograd) {
        /** Whether this plan multiplies with W^T ({@link #packedProduct}) rather than W's row strips. */
        boolean multipliesTransposed() {
            return subsampled != null ? subsampled.multipliesTransposed() : transposed;
        }
    }

    /**
     * The left-hand side of {@link Sgemm#multiplyGathered} for a layer with few output positions:
     * {@code padded} is X's planes with their pads (the phase layout of stride 1, one plane per
     * channel), {@code columns} where each (channel, tap) of the window starts in it, and
     * {@code positions} where the window of each output position starts: column kk of position p is
     * at {@code columns[kk] + positions[p]}, for any strides.
     */
    private record Gathered(Phases padded, int[] columns, int[] positions) {
        static Gathered of(ConvGeometry g, int cg) {
            int[] image = g.image();
            int[] lo = g.padBegin();
            int[] hi = g.padEnd();
            int[] k = g.kernel();
            // outputs of stride 1 over the padded plane: its rows and columns are then the padded ones
            Phases padded = new Phases(image[0], image[1], k[0], k[1], 1, 1, lo[0], lo[1],
                    image[0] + lo[0] + hi[0] - k[0] + 1, image[1] + lo[1] + hi[1] - k[1] + 1);
            int plane = PanelIm2Col.phasePlane(padded);
            int taps = padded.tapOffsets.length;
            int[] columns = new int[cg * taps];
            for (int c = 0; c < cg; c++) {
                for (int t = 0; t < taps; t++) {
                    columns[c * taps + t] = c * plane + padded.tapOffsets[t];
                }
            }
            int outW = g.out()[1];
            int[] positions = new int[g.outSize()];
            for (int p = 0; p < positions.length; p++) {
                positions[p] = p / outW * g.strides()[0] * padded.wh + p % outW * g.strides()[1];
            }
            return new Gathered(padded, columns, positions);
        }
    }

    /**
     * With the input's dimensions known at load ({@code xDims}, else null), the plan for them is made
     * here and only the weight layout it multiplies with is packed; otherwise W's row strips are packed
     * here and W^T on first use.
     */
    FastConv(Conv generic, WindowAttributes window, int group, Epilogue epilogue, boolean residual, Tensor wt,
             Tensor bt, NnLoops loops, int[] xDims) {
        this.loops = loops;
        this.generic = generic;
        this.window = window;
        this.group = group;
        this.epilogue = epilogue;
        this.residual = residual;
        this.storesBias = epilogue.clamps() || residual;
        this.w = wt.floatData();
        this.m = wt.dim(0);
        this.cg = wt.dim(1);
        this.kh = wt.dim(2);
        this.kw = wt.dim(3);
        this.hasBias = bt != null;
        this.bias = bt != null ? bt.floatData().clone() : new float[m];
        this.depthwiseWeights = cg == 1 && group == m;
        if (depthwiseWeights) {
            return;
        }
        Plan p = null;
        if (xDims != null && xDims.length == 4 && xDims[1] == cg * group) {
            try {
                p = plan(xDims);
            } catch (IllegalArgumentException e) {
                p = null; // a window that does not fit the input: the run reports it through the generic kernel
            }
        }
        if (p != null && p.winograd != null) {
            winogradWeights();
        } else {
            if (p != null && p.multipliesTransposed()) {
                transposed();
            } else {
                rows();
            }
            w = null; // in the packed layout only: the graph keeps no copy either (readsAtRun)
        }
    }

    /**
     * W (M, C/group, kh, kw): the kept array, or else a new one unpacked from the packed layout, for a
     * layout or a fallback that the planned shape did not need (another input shape, a split run's
     * shares of W, the generic kernel). The floats are exactly W's; the array is not kept.
     */
    private float[] weights() {
        float[] kept = w;
        if (kept != null) {
            return kept;
        }
        int mg = m / group;
        int k = cg * kh * kw;
        float[] out = new float[m * k];
        PackedRows[] r = rows;
        PackedMatrix[] t = transposed;
        for (int gi = 0; gi < group; gi++) {
            if (r != null) {
                r[gi].unpackInto(out, gi * mg * k, k);
            } else {
                t[gi].unpackTransposedInto(out, gi * mg * k, k);
            }
        }
        return out;
    }

    /**
     * W is not read from the graph at run time once it is packed: the graph then keeps no copy of its own
     * ({@link #weights} gives it back to the generic kernel when an input needs that).
     */
    @Override
    public boolean readsAtRun(int input) {
        return input != 1 || w != null;
    }

    /** The inputs with W in place of a constant the graph no longer holds, for the generic kernel. */
    private Tensor[] withWeights(Tensor[] in) {
        if (in.length < 2 || in[1] != null) {
            return in;
        }
        Tensor[] all = in.clone();
        all[1] = Tensor.ofFloats(new int[] {m, cg, kh, kw}, weights());
        return all;
    }

    /** W[g] (M/group, K) per group in the GEMM's row strips, packed on first use. */
    private PackedRows[] rows() {
        PackedRows[] r = rows;
        if (r == null) {
            int mg = m / group;
            int k = cg * kh * kw;
            float[] weights = weights();
            r = new PackedRows[group];
            for (int gi = 0; gi < group; gi++) {
                r[gi] = Sgemm.get().packRows(mg, k, weights, gi * mg * k, k);
            }
            rows = r;
        }
        return r;
    }

    /** The transformed weights of {@link Winograd3x3} (one group), packed on first use. */
    private PackedRows[][] winogradWeights() {
        PackedRows[][] u = winogradWeights;
        if (u == null) {
            u = Winograd3x3.transformWeights(weights(), m, cg, Sgemm.get());
            winogradWeights = u;
        }
        return u;
    }

    /** Fewest channels in and out a layer takes {@link Winograd3x3} with ({@link #winogradPays}). */
    static final int WINOGRAD_MIN_CHANNELS = 128;

    /**
     * The system property that turns {@link Winograd3x3} off ({@code false}): every 3x3 layer then sums
     * its windows directly. Read when a layer is planned.
     */
    static final String WINOGRAD_PROPERTY = "continuum.engine.winograd";

    /**
     * Whether a 3x3 layer of stride 1 runs as {@link Winograd3x3} (when its run does not split):
     * {@link #WINOGRAD_MIN_CHANNELS} channels and more in and out, onto 8x8 and more. Its product does
     * 4/9 of the direct one's work, while its transforms cost per channel what the product costs per
     * channel pair, and its phase fill splits every row into even and odd columns. In-process A/B
     * against the direct product at 1 thread (Zen 5): resnet18's 128 channels of 28x28 1,386-1,552 ->
     * 1,092-1,105 us, 256 of 14x14 1,295-1,373 -> 1,035-1,157, but 64 of 56x56 1,479 -> 1,525. Its 7x7
     * layers (512 channels) stay direct: U would be 16 MB for 16 tiles over a plane of 7x7.
     */
    private boolean winogradPays(ConvGeometry g) {
        if ("false".equalsIgnoreCase(System.getProperty(WINOGRAD_PROPERTY))) {
            return false;
        }
        return cg >= WINOGRAD_MIN_CHANNELS && m >= WINOGRAD_MIN_CHANNELS && g.rank() == 2 && g.out()[0] >= 8
                && g.out()[1] >= 8;
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
        return new FastConv(generic, window, group, epilogue, false, wt, bt, NnLoops.get(),
                x.isStatic() ? x.shape() : null);
    }

    /** base with a residual input and this activation after it; W's packed layouts are shared, not packed again. */
    private FastConv(FastConv base, Epilogue epilogue) {
        this.loops = base.loops;
        this.generic = base.generic;
        this.window = base.window;
        this.group = base.group;
        this.epilogue = epilogue;
        this.residual = true;
        this.storesBias = true;
        this.w = base.w;
        this.m = base.m;
        this.cg = base.cg;
        this.kh = base.kh;
        this.kw = base.kw;
        this.hasBias = base.hasBias;
        this.bias = base.bias;
        this.depthwiseWeights = base.depthwiseWeights;
        this.rows = base.rows;
        this.transposed = base.transposed;
        this.winogradWeights = base.winogradWeights;
        this.stripShares = base.stripShares;
        this.last = base.last;
    }

    /**
     * This convolution followed by the addition of a fourth input R of its output's shape (a residual
     * connection) and then {@code activation}: {@code Y = act(conv(X, W) + B + R)}, with the sum and the
     * activation on each block of Y as the block is finished, on the thread that computed it. Null for
     * depthwise weights (their paths fuse only the activation) and for a kernel that already applies an
     * activation or a residual.
     */
    @Override
    public Kernel withResidual(FusedActivation activation) {
        if (depthwiseWeights || residual || !epilogue.isNone()) {
            return null;
        }
        return new FastConv(this, Epilogue.of(activation));
    }

    private Plan plan(int[] xDims) {
        Plan p = last;
        if (p != null && Arrays.equals(p.xDims, xDims)) {
            return p;
        }
        p = plan(xDims, window.resolve(Arrays.copyOfRange(xDims, 2, 4), new int[] {kh, kw}));
        last = p;
        return p;
    }

    private Plan plan(int[] xDims, ConvGeometry g) {
        int c = xDims[1];
        boolean depthwise = group == c && group == m && cg == 1;
        Depthwise3x3 direct = depthwise ? Depthwise3x3.of(g) : null;
        Phases phases = depthwise && direct == null ? Phases.of(g) : null; // null when dilated
        if (!depthwise && subsamples(g)) {
            int[] out = g.out();
            int[] one = {1, 1};
            int[] zero = {0, 0};
            ConvGeometry pointwise = new ConvGeometry(out, one, one, one, zero, zero, out);
            Plan sub = plan(new int[] {xDims[0], c, out[0], out[1]}, pointwise);
            return new Plan(xDims.clone(), g, null, null, null, null, null, false, null, null, sub, null);
        }
        Phases im2col = !depthwise && !g.isPointwise() ? Phases.of(g) : null;
        SmallPlaneDepthwise small = direct != null ? SmallPlaneDepthwise.of(direct, m, w, bias, loops.lanes()) : null;
        // col^T read in place needs a phase layout (no dilation) and AVX-512's tile of 8 positions;
        // with 8 lanes (tiles of 4) the gather into strips of 6 stays: 512 channels of 7x7 2,440-2,550
        // us against 3,073-3,180 in place (-XX:UseAVX=2 on the AMD EPYC family 25 machine), where its
        // FMAs are cheap next to the in-place tile's index arithmetic and bounds checks
        boolean inPlace = im2col != null && Sgemm.get().stripHeight() == 8;
        boolean transposed = !depthwise && multipliesTransposed(g, inPlace);
        Gathered gathered = transposed && inPlace ? Gathered.of(g, cg) : null;
        int[] narrow = transposed && gathered == null && !g.isPointwise()
                ? PanelIm2Col.narrowTable(g, Sgemm.get().stripHeight()) : null;
        int[] taps = im2col != null && !transposed && directPays(im2col, xDims[0] * group) ? taps(im2col) : null;
        int panel = Sgemm.get().panelWidth();
        boolean wholePanels = g.outSize() >= NARROW_POINTWISE_PANELS * panel;
        if (!depthwise && g.isPointwise() && (wholePanels || !transposed && narrowRow(Sgemm.get(), g.outSize()))) {
            // the channels' planes of X itself: whole panels, or all positions as one row. With fewer
            // positions, whole panels from X and the partial last one packed cost more than the copy
            // saved (320 -> 1280 on 7x7: 1.09x)
            taps = new int[cg];
            for (int ci = 0; ci < cg; ci++) {
                taps[ci] = ci * g.imageSize();
            }
        }
        Winograd3x3 winograd = !depthwise && group == 1 && winogradPays(g)
                ? Winograd3x3.of(g, cg, m, loops.lanes()) : null;
        return new Plan(xDims.clone(), g, direct, small, phases, im2col, taps, transposed, gathered, narrow, null,
                winograd);
    }

    /**
     * Whether a (non-depthwise) layer computes {@code Y^T = col^T * W^T} ({@link #packedProduct}): outputs
     * narrower than a panel, and deep layers (K above what {@link #directPays} takes) on small planes,
     * whose positions fill whole strips of 8 with a small last one, where they would fill panels of 32
     * with a large partial one (7x7 = 49: panels 32 + 17, strips 6 x 8 + 1). resnet18's 3x3 layers onto
     * 7x7 and 14x14 (K = 1,152 to 4,608), in-process at 1 thread: 2.57-2.65 -> 1.76-1.81 ms and
     * 1.75-1.77 -> 1.54-1.62 ms, the whole model -11 %. Pointwise layers likewise when their
     * positions fill one panel and more than half of a second (X^T packed into strips by the GEMM):
     * mobilenet_v2's 7x7 layers (160 <-> 960, 960 -> 320, 320 -> 1280) 2.77-2.92 -> 2.51-2.60 ms per
     * run at 1 thread on the Zen 4 machine, their product at 85-100 GFLOP/s instead of 45-60. With
     * half a panel or less left over (6x6 = 36 = 32 + 4) the one-vector kernel takes the rest, and
     * strips (4 x 8 + 4) plus the transposition cost more: mobilenet_small at 2 threads 1.26-1.35 x
     * ONNX Runtime with panels, 1.59-1.73 with strips (two alternating pairs of runs).
     * <p>
     * Where col^T is read in place ({@link Sgemm#multiplyGathered}, {@code inPlace}), with no gather
     * first, also layers whose output channels fill whole panels, up to {@link #gatheredMaxPositions}
     * positions.
     */
    private boolean multipliesTransposed(ConvGeometry g, boolean inPlace) {
        int panel = Sgemm.get().panelWidth();
        if (g.outSize() < panel) {
            return true;
        }
        if (g.isPointwise()) {
            // measured with AVX-512's 8 x 32 tile only (see above)
            return Sgemm.get().stripHeight() == 8 && g.outSize() < 2 * panel && g.outSize() - panel > panel / 2;
        }
        boolean deep = cg * kh * kw > DIRECT_MAX_K && g.outSize() <= 8 * panel;
        int mg = m / group;
        boolean wholePanels = mg >= panel && (long) (mg + panel - 1) / panel * panel * 8 <= 9L * mg; // 1/8 padding at most
        return deep || inPlace && wholePanels && g.outSize() <= gatheredMaxPositions(mg);
    }

    /**
     * Most output positions for which a layer of mg output channels (per group) reads col^T in place
     * rather than through im2col or the product over the taps. Measured alone with AVX-512's 8 x 32
     * tile (AMD EPYC, family 25), each against the layer's previous path: 64 channels on 14x14, 20x20
     * and 28x28 -8 %, -12 %, -16 %, 128 on 28x28 -4 to -10 %, 64 -> 128 onto 28x28 -10 %, but 64 on
     * 32x32 +14 %; 32 channels on 8x8 and 12x12 -31 % and -32 %, 16x16 even, 28x28 +5 %, 32x32 +36 %;
     * 16 channels (half a panel) on 16x16 +70 %.
     */
    private static int gatheredMaxPositions(int mg) {
        return mg >= 64 ? 28 * 28 : 16 * 16;
    }

    /** A 2-D 1x1 window with strides, no pads and no dilation: every output reads one input element. */
    private static boolean subsamples(ConvGeometry g) {
        if (g.rank() != 2 || g.kernelSize() != 1 || g.isPointwise()) {
            return false;
        }
        for (int d = 0; d < 2; d++) {
            if (g.padBegin()[d] != 0 || g.padEnd()[d] != 0 || g.dilations()[d] != 1
                    || g.out()[d] != (g.image()[d] - 1) / g.strides()[d] + 1) {
                return false;
            }
        }
        return true;
    }

    /** planes of X (h, w) subsampled by the strides into xs, (outH, outW) each. */
    private void subsample(ConvGeometry g, float[] x, int planes, float[] xs) {
        int[] out = g.out();
        for (int p = 0; p < planes; p++) {
            loops.subsample(x, p * g.imageSize(), g.image()[1], g.strides()[0], g.strides()[1], out[0], out[1], xs,
                    p * g.outSize());
        }
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.dataType() != DataType.FLOAT || x.rank() != 4 || x.dim(1) != cg * group) {
            // the generic kernel names what is wrong
            return residual ? genericWithResidual(ctx, in) : generic.compute(ctx, withWeights(in));
        }
        Plan p = plan(x.dims());
        if (depthwiseWeights && p.depthwise3x3 == null && p.depthwise == null) {
            return generic.compute(ctx, withWeights(in)); // a dilated depthwise convolution: no layout has its taps
        }
        int n = x.dim(0);
        int[] shape = {n, m, p.g.out()[0], p.g.out()[1]};
        float[] r = residual ? residual(in[3], shape) : null;
        float[] y = ctx.floats(n * m * p.g.outSize());
        if (y.length > 0) {
            if (p.subsampled != null) {
                float[] xs = ctx.floats(n * cg * group * p.g.outSize());
                subsample(p.g, x.floatData(), n * cg * group, xs);
                run(ctx, p.subsampled, n, xs, y, r);
                ctx.recycle(xs);
            } else {
                run(ctx, p, n, x.floatData(), y, r);
            }
        }
        return new Tensor[] {Tensor.of(DataType.FLOAT, shape, y)};
    }

    /** The data of the residual input R, which must be a float tensor of the output's shape. */
    private static float[] residual(Tensor r, int[] shape) {
        if (r == null || r.dataType() != DataType.FLOAT || !Arrays.equals(r.dims(), shape)) {
            throw new IllegalArgumentException("residual input R " + (r == null ? "is missing"
                    : r.dataType() + Shapes.str(r.dims())) + ", expected " + DataType.FLOAT + Shapes.str(shape)
                    + ", the shape of the convolution's output");
        }
        return r.floatData();
    }

    /** The generic kernel's output (it names what is wrong with the inputs), then R added and the activation. */
    private Tensor[] genericWithResidual(ExecContext ctx, Tensor[] in) {
        Tensor y = generic.compute(ctx, withWeights(Arrays.copyOf(in, 3)))[0];
        float[] r = residual(in[3], y.dims());
        float[] data = y.floatData();
        loops.biasResidualActivation(data, 0, r, 0, data, 0, data.length, 0f, epilogue);
        return new Tensor[] {y};
    }

    /** Y for input X, plus r (null without a residual) and the activation. */
    private void run(ExecContext ctx, Plan p, int n, float[] x, float[] y, float[] r) {
        if (p.winograd != null && !ctx.worthSplitting(2L * m * cg * kh * kw * p.g.outSize() * n)) {
            // on one thread only: split over 2 threads in resnet18 it was 6-8 % slower than the split direct
            // product (in-process A/B at a fixed split threshold, three runs), though alone its 128 channels of
            // 28x28 took 950 -> 770 us and 256 of 14x14 834 -> 720
            p.winograd.run(ctx, loops, winogradWeights(), n, x, y, bias, r, epilogue);
        } else if (p.smallPlanes != null) {
            smallPlanes(ctx, p.smallPlanes, n, x, y);
        } else if (p.depthwise3x3 != null) {
            depthwise3x3(ctx, p.depthwise3x3, n, x, y);
        } else if (p.depthwise != null) {
            depthwise(ctx, p, n, x, y);
        } else if (p.transposed) {
            packedProduct(ctx, p, n, x, y, r);
        } else if (p.taps != null && p.im2col != null) {
            direct(ctx, p, n, x, y, r);
        } else {
            blocked(ctx, p, n, x, y, r);
        }
    }

    // ---- depthwise ----

    private void depthwise3x3(ExecContext ctx, Depthwise3x3 d, int n, float[] x, float[] y) {
        int planes = n * m;
        int threads = Math.min(ctx.threads(), planes);
        if (!ctx.worthSplitting(DEPTHWISE_WORK * planes * d.outSize)) {
            threads = 1;
        }
        int per = d.scratchSize();
        float[] scratch = ctx.floats(threads * per);
        for (int lane = 0; lane < threads; lane++) {
            // the guards stay zero: only the source planes are written; the plane copy after them is
            // written before it is read
            Arrays.fill(scratch, lane * per, lane * per + d.workSize(), 0f);
        }
        int t = threads;
        int imageSize = d.h * d.w;
        // tasks of a few planes each: contiguous shares per thread, the first to finish taking the
        // other's last tasks (mobilenet_v2 at 2 threads, in-process A/B against fixed halves:
        // 6.99 -> 6.86 and 6.04 -> 5.99 ms in two runs)
        int tasks = Math.min(planes, t * ExecContext.TASKS_PER_THREAD);
        ctx.parallelTasks(tasks, t, (task, lane) -> {
            for (int plane = planes * task / tasks, end = planes * (task + 1) / tasks; plane < end; plane++) {
                int ch = plane % m;
                loops.depthwise3x3(d, x, plane * imageSize, w, ch * 9, bias[ch], epilogue, scratch, lane * per, y,
                        plane * d.outSize);
            }
        });
        ctx.recycle(scratch);
    }

    private void smallPlanes(ExecContext ctx, SmallPlaneDepthwise sp, int n, float[] x, float[] y) {
        int per = sp.scratchSize();
        int threads = Math.min(ctx.threads(), n);
        if (!ctx.worthSplitting(DEPTHWISE_WORK * n * m * sp.d.outSize)) {
            threads = 1;
        }
        // the per-plane layout (sp.full) reads guards that stay zero; the flattened one writes its own
        float[] scratch = sp.full != null ? ctx.floatsZeroed(threads * per) : ctx.floats(threads * per);
        int t = threads;
        int outImage = m * sp.d.outSize;
        ctx.parallelFor(t, 1, (t0, t1) -> {
            for (int ti = t0; ti < t1; ti++) {
                for (int img = n * ti / t, end = n * (ti + 1) / t; img < end; img++) {
                    loops.depthwiseImage(sp, x, img * sp.size, epilogue, scratch, ti * per, y, img * outImage);
                }
            }
        });
        ctx.recycle(scratch);
    }

    private void depthwise(ExecContext ctx, Plan p, int n, float[] x, float[] y) {
        Phases ph = p.depthwise;
        int planes = n * m;
        int threads = Math.min(ctx.threads(), planes);
        if (!ctx.worthSplitting(DEPTHWISE_WORK * planes * ph.count * kh * kw / 9)) { // per output of 9 taps
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

    // ---- everything else: im2col into GEMM panels, W packed at load, the product straight into Y ----

    /** Floats of panels {@link #splitByRows} may fill at once (16 MB); larger layers are blocked by positions. */
    private static final long WHOLE_PANELS_LIMIT = 1L << 22;

    /** Output positions per block: its panels (k x nb) stay in L2 while the strips of W stream past. */
    private static int blockPositions(int k, int outSize, int tasksPerBlock, int threads, int nr) {
        int nb = Math.max(64, Math.min(1024, 196608 / Math.max(1, k)));
        if (threads > 1 && tasksPerBlock < threads) {
            nb = Math.min(nb, (outSize + threads - 1) / threads);
        }
        return Math.min((outSize + nr - 1) / nr * nr, (nb + nr - 1) / nr * nr);
    }

    private void blocked(ExecContext ctx, Plan plan, int n, float[] x, float[] y, float[] r) {
        Sgemm gemm = Sgemm.get();
        ConvGeometry g = plan.g;
        int outSize = g.outSize();
        int k = cg * kh * kw;
        int threads = ctx.worthSplitting(2L * m * k * outSize * n) ? ctx.threads() : 1;
        int nb = blockPositions(k, outSize, n * group, threads, gemm.panelWidth());
        int blocks = (outSize + nb - 1) / nb;
        int tasks = n * group * blocks;
        int t = Math.min(threads, tasks);
        float[] phases = null;
        if (plan.im2col != null) {
            phases = ctx.floats(n * cg * group * PanelIm2Col.phasePlane(plan.im2col));
            fillPhases(ctx, plan.im2col, x, n * cg * group, phases);
        }
        float[] src = phases;
        if (threads > 1 && n * group == 1 && tasks < 4 * threads && m >= 32 * threads
                && (long) gemm.panelsSize(k, outSize) <= WHOLE_PANELS_LIMIT) {
            splitByRows(ctx, gemm, plan, x, src, y, r);
            if (phases != null) {
                ctx.recycle(phases);
            }
            return;
        }
        int panelSize = gemm.panelsSize(k, nb);
        float[] panels = ctx.floats(t * panelSize);
        // contiguous shares of blocks per thread, the first to finish taking the other's last ones
        // (in-process at 2 threads, 16 -> 96 on 112x112: 274-290 -> 246-258 us)
        ctx.parallelTasks(tasks, t, (task, lane) -> block(gemm, plan, task, blocks, nb, x, src, y, r, panels,
                lane * panelSize));
        ctx.recycle(panels);
        if (phases != null) {
            ctx.recycle(phases);
        }
    }

    /**
     * Units of {@link ExecContext#worthSplitting} work (flops) per float an im2col or phase fill
     * copies: a float of these short copies costs about as long as 30-60 flops of the product. At one
     * unit per float, resnet18's phase fills and its deep layers' panels (590 KB for 512 channels of
     * 7x7) stayed on the calling thread while the worker waited: 7 % of the 2-thread run.
     */
    private static final long COPY_WORK = 32;

    /**
     * Units of {@link ExecContext#worthSplitting} work per output of a 3x3 depthwise convolution: an
     * output costs 0.5-0.8 ns, as long as about 50 flops of the GEMM. At 18 (its flops), mobilenet_v2's
     * depthwise layers of up to 75,000 outputs (30-40 us) stayed on one thread; at 48, those of 37,000
     * to 75,000 outputs (40-60 us on the Intel Xeon machine) still did. At 96 they split from about
     * 44,000 outputs: mobilenet_v2 at 2 threads 5,766 -> 5,693 and 5,881 -> 5,794 us (in-process A/B),
     * mobilenet_small unchanged (577 us); at 192 mobilenet_small's layers of 28,000-41,000 outputs
     * split as well and it lost 4.5 % (572 -> 598 us).
     */
    private static final long DEPTHWISE_WORK = 96;

    /** The {@link Phases} of channels [0, channels) of X into phases, one phase plane each, split over the threads. */
    private static void fillPhases(ExecContext ctx, Phases ph, float[] x, int channels, float[] phases) {
        int plane = PanelIm2Col.phasePlane(ph);
        ctx.parallelForWork(channels, COPY_WORK * plane, (c0, c1) -> PanelIm2Col.fillPhases(ph, x,
                c0 * ph.h * ph.w, c1 - c0, phases, c0 * plane));
    }

    /** One (image, group, block of output positions): panels of the block, then Y[:, block] = W * panels. */
    private void block(Sgemm gemm, Plan plan, int task, int blocks, int nb, float[] x, float[] phases, float[] y,
                       float[] r, float[] panels, int pOff) {
        ConvGeometry g = plan.g;
        int blk = task % blocks;
        int gi = task / blocks % group;
        int img = task / blocks / group;
        int outSize = g.outSize();
        int mg = m / group;
        int n0 = blk * nb;
        int len = Math.min(nb, outSize - n0);
        int firstChannel = (img * group + gi) * cg;
        int yOff = (img * m + gi * mg) * outSize + n0;
        columns(gemm, plan, rows()[gi], gi * mg, x, phases, firstChannel, n0, len, y, yOff, r, panels, pOff);
    }

    /**
     * Output channels [c0, c0 + a.rows()) (W's rows a) over positions [n0, n0 + len), input channels
     * from firstChannel, into Y at yOff (leading dimension the output plane): a pointwise layer's whole
     * panels straight from X's channel planes with the bias and a clamping activation in the product's
     * stores, the rest (all of it on other layers) through packed panels at pOff; then bias, residual
     * and activation where the stores did not take them.
     */
    private void columns(Sgemm gemm, Plan plan, PackedRows a, int c0, float[] x, float[] phases, int firstChannel,
                         int n0, int len, float[] y, int yOff, float[] r, float[] panels, int pOff) {
        ConvGeometry g = plan.g;
        int outSize = g.outSize();
        int direct = 0;
        if (plan.taps != null && plan.im2col == null) {
            int from = firstChannel * g.imageSize() + n0;
            if (narrowRow(gemm, len)) {
                multiplyTapsRows(gemm, a, c0, plan.taps, x, from, 1, len, len, y, yOff, outSize, len);
                direct = len;
            } else {
                direct = len / gemm.panelWidth() * gemm.panelWidth();
                if (direct > 0) {
                    multiplyTaps(gemm, a, c0, plan.taps, x, from, direct, y, yOff, outSize);
                }
            }
        }
        if (direct < len) {
            fillPanels(gemm, plan, x, phases, firstChannel, n0 + direct, len - direct, panels, pOff);
            gemm.multiplyPanels(a, panels, pOff, len - direct, y, yOff + direct, outSize, ExecContext.serial());
        }
        finish(c0, a.rows(), y, r, yOff, outSize, storesBias ? direct : 0, len);
    }

    /**
     * Bias, residual and activation of output channels [ch0, ch0 + count) over columns [0, len) at
     * yOff (leading dimension ldy), of which the first {@code fused} had the bias (and a clamping
     * activation) in the product's stores.
     */
    private void finish(int ch0, int count, float[] y, float[] r, int yOff, int ldy, int fused, int len) {
        if (r != null && fused > 0) {
            for (int c = 0; c < count; c++) {
                int row = yOff + c * ldy;
                loops.biasResidualActivation(y, row, r, row, y, row, fused, 0f, epilogue);
            }
        }
        if (fused < len) {
            biasActivation(ch0, count, y, r, yOff + fused, ldy, len - fused);
        }
    }

    /** Output positions [n0, n0 + len) of the channels from firstChannel on, as GEMM panels at panels[pOff]. */
    private void fillPanels(Sgemm gemm, Plan plan, float[] x, float[] phases, int firstChannel, int n0, int len,
                            float[] panels, int pOff) {
        ConvGeometry g = plan.g;
        int outSize = g.outSize();
        if (plan.im2col != null) {
            int phaseOff = firstChannel * PanelIm2Col.phasePlane(plan.im2col);
            PanelIm2Col.fromPhases(plan.im2col, kh * kw, phases, phaseOff, cg, n0, len, panels, pOff,
                    gemm.panelWidth());
        } else if (g.isPointwise()) {
            gemm.packPanels(cg, len, x, firstChannel * g.imageSize() + n0, outSize, panels, pOff);
        } else {
            PanelIm2Col.fill(g, x, firstChannel * g.imageSize(), cg, n0, len, panels, pOff, gemm.panelWidth());
        }
    }

    /**
     * Adds the bias of output channels [ch0, ch0 + count) to their rows of Y, and the same rows of the
     * residual r (null without one), and applies the activation.
     */
    private void biasActivation(int ch0, int count, float[] y, float[] r, int yOff, int ldy, int len) {
        if (r != null) {
            for (int c = 0; c < count; c++) {
                int row = yOff + c * ldy;
                loops.biasResidualActivation(y, row, r, row, y, row, len, bias[ch0 + c], epilogue);
            }
        } else if (hasBias || !epilogue.isNone()) {
            for (int c = 0; c < count; c++) {
                int row = yOff + c * ldy;
                loops.biasActivation(y, row, y, row, len, bias[ch0 + c], epilogue);
            }
        }
    }

    /**
     * One image, one group, few output positions (a deep layer: 7x7 or 14x14 positions, megabytes of
     * W): the panels of every position are filled once, shared by the threads, and the product is
     * split by rows of W, so that each thread streams its share of W instead of all of it. A pointwise
     * layer that reads X's planes directly ({@link #pointwiseByRows}) fills no panels.
     */
    private void splitByRows(ExecContext ctx, Sgemm gemm, Plan plan, float[] x, float[] phases, float[] y,
                             float[] r) {
        if (plan.taps != null && plan.im2col == null) {
            pointwiseByRows(ctx, gemm, plan, x, y, r);
            return;
        }
        int outSize = plan.g.outSize();
        int k = cg * kh * kw;
        int nr = gemm.panelWidth();
        int panelCount = (outSize + nr - 1) / nr;
        float[] panels = ctx.floats(gemm.panelsSize(k, outSize));
        ctx.parallelForWork(panelCount, COPY_WORK * k * nr, (p0, p1) -> fillPanels(gemm, plan, x, phases, 0, p0 * nr,
                Math.min(outSize, p1 * nr) - p0 * nr, panels, p0 * k * nr));
        gemm.multiplyPanels(rows()[0], panels, 0, outSize, y, 0, outSize, ctx);
        ctx.parallelForWork(m, COPY_WORK * outSize,
                (c0, c1) -> biasActivation(c0, c1 - c0, y, r, c0 * outSize, outSize, outSize));
        ctx.recycle(panels);
    }

    /**
     * {@link #splitByRows} of a pointwise layer whose whole panels the product over the taps reads
     * straight from X's channel planes ({@link #block}'s path at one thread): each thread multiplies
     * its own contiguous share of W's rows over every position, from X, with the bias and a clamping
     * activation in the stores; only the partial last panel is packed. Split by rows, a thread writes
     * whole output channels, which the next layer (mobilenet's depthwise one, split by planes) reads
     * on the same core; split by positions, each core would read half of every plane from the other.
     * At 2 threads (Intel Xeon, {@code NodeProfile}): mobilenet_v2's 24 -> 144 on 56x56 246 -> 173 us
     * (it went through {@link #splitByRows}' packed panels, 245 us at 1 thread), its depthwise layer
     * after it unchanged (117 us; 138 when this layer was split by positions instead).
     */
    private void pointwiseByRows(ExecContext ctx, Sgemm gemm, Plan plan, float[] x, float[] y, float[] r) {
        int threads = ctx.threads();
        int outSize = plan.g.outSize();
        // the partial last panel, packed per thread
        int rest = narrowRow(gemm, outSize) ? 0 : outSize % gemm.panelWidth();
        StripShares shares = stripShares(gemm, threads);
        int panelSize = rest > 0 ? gemm.panelsSize(cg, rest) : 0;
        float[] panels = rest > 0 ? ctx.floats(threads * panelSize) : null;
        ctx.parallelTasks(threads, threads, (share, lane) -> {
            int c0 = shares.firstRow[share];
            columns(gemm, plan, shares.rows[share], c0, x, null, 0, 0, outSize, y, c0 * outSize, r, panels,
                    lane * panelSize);
        });
        ctx.recycle(panels); // null without a partial panel: ignored
    }

    // ---- with a phase layout: the product over the taps of the phases, no im2col ----

    /**
     * {@code Y = W * taps}: the channels' {@link Phases} are filled once, then per (image, group,
     * block of output rows) {@link Sgemm#multiplyTaps} computes the block's flattened rows (with the
     * layout's {@code wh - outW} throw-away columns) into a scratch, bias and a clamping activation
     * in its stores, and the rows are copied into Y (other activations run on the way).
     */
    private void direct(ExecContext ctx, Plan plan, int n, float[] x, float[] y, float[] r) {
        Sgemm gemm = Sgemm.get();
        Phases ph = plan.im2col;
        int channels = n * group * cg;
        int wh = ph.wh;
        int outH = ph.outH;
        int outSize = ph.outH * ph.outW;
        int k = cg * kh * kw;
        int threads = ctx.worthSplitting(2L * m * k * outSize * n) ? ctx.threads() : 1;
        if (threads > 1 && n * group == 1 && splitsByStrips(gemm, ph, threads)) {
            directByStrips(ctx, gemm, ph, plan.taps, x, y, r, threads);
            return;
        }
        int rowsPer = directRows(k, ph, n * group, threads);
        int blocks = (outH + rowsPer - 1) / rowsPer;
        int tasks = n * group * blocks;
        int t = Math.min(threads, tasks);
        float[] phases = ctx.floats(phasesFloats(gemm, ph, plan.taps, channels, rowsPer));
        // split, each task fills the phase rows its block reads, so that a core multiplies what it
        // wrote itself; the (kh - 1) / sh halo rows between two blocks are filled by both, with the
        // same values (resnet_small at 2 threads, in-process, three runs: 179.4 -> 177.1, 208.7 ->
        // 202.6, 170.0 -> 165.7 us against the caller filling every row)
        boolean fillByBlock = t > 1;
        if (!fillByBlock) {
            fillPhases(ctx, ph, x, channels, phases);
        }
        int ldc = rowsPer * wh;
        int per = m / group * ldc;
        float[] scratch = ctx.floats(t * per);
        // contiguous shares of row blocks, the first thread to finish taking the other's last ones: in
        // halves, one core was often the slower by 10 % and the other waited for it (64 channels of
        // 56x56 at 2 threads, in-process: 1,038-1,217 -> 965-1,031 us over five runs; a shared counter
        // handing out blocks one by one lost the halves' locality: 971-1,083 us)
        ctx.parallelTasks(tasks, t, (task, lane) -> {
            if (fillByBlock) {
                fillBlockRows(ph, x, task, blocks, rowsPer, phases);
            }
            directBlock(gemm, ph, plan.taps, task, blocks, rowsPer, phases, scratch, lane * per, y, r);
        });
        ctx.recycle(scratch);
        ctx.recycle(phases);
    }

    /**
     * Floats of phases {@link #direct} needs for {@code channels} channels in blocks of {@code rowsPer}
     * output rows: the channels' planes, and as far as the last block's taps read past them.
     */
    private int phasesFloats(Sgemm gemm, Phases ph, int[] taps, int channels, int rowsPer) {
        int plane = PanelIm2Col.phasePlane(ph);
        int blocks = (ph.outH + rowsPer - 1) / rowsPer;
        int lastRows = ph.outH - (blocks - 1) * rowsPer;
        int need = (channels - cg) * plane + (blocks - 1) * rowsPer * ph.wh
                + gemm.tapsExtent(taps, (lastRows - 1) * ph.wh + ph.outW);
        return Math.max(need, channels * plane);
    }

    /** The phase rows that one (image, group, block of output rows) of {@link #direct} reads, for its cg channels. */
    private void fillBlockRows(Phases ph, float[] x, int task, int blocks, int rowsPer, float[] phases) {
        int blk = task % blocks;
        int gi = task / blocks % group;
        int img = task / blocks / group;
        int plane = PanelIm2Col.phasePlane(ph);
        int oy0 = blk * rowsPer;
        int r1 = oy0 + Math.min(rowsPer, ph.outH - oy0) + ph.hh - ph.outH; // and the taps' rows below the block
        int firstChannel = (img * group + gi) * cg;
        for (int c = firstChannel; c < firstChannel + cg; c++) {
            ph.fillRows(x, c * ph.h * ph.w, phases, c * plane, 0f, oy0, r1);
        }
    }

    /**
     * Whether {@link #multiplyBlock} multiplies a block of rows output rows by rows
     * ({@link Sgemm#multiplyTapsRows}, straight into Y) rather than flattened with the layout's
     * throw-away columns (into a scratch, then copied): where the rows' whole vectors are no more
     * positions than the flattened block's panels. mobilenet's stems (rows of 48 and 112: 49 and 113
     * flattened), resnet_small's (32: 35) and its 16 x 16 layers (16: 18).
     */
    private static boolean byRows(Sgemm gemm, Phases ph, int rows) {
        return rowsPositions(gemm, ph, rows) <= flatPositions(gemm, ph, rows);
    }

    /** Positions the product computes for a block of rows output rows by rows; MAX_VALUE where not taken. */
    private static long rowsPositions(Sgemm gemm, Phases ph, int rows) {
        int width = gemm.tapsRowsWidth(ph.outW);
        return width > 0 ? (long) rows * width : Long.MAX_VALUE;
    }

    /** Positions the product computes for a block of rows output rows flattened: whole panels. */
    private static long flatPositions(Sgemm gemm, Phases ph, int rows) {
        int nr = gemm.panelWidth();
        return ((rows - 1L) * ph.wh + ph.outW + nr - 1) / nr * nr;
    }

    /**
     * Pointwise layers with fewer panels of positions than this multiply them as one row of
     * {@link Sgemm#multiplyTapsRows} straight from X, where the product takes such rows: one pass over
     * W, the bias and a clamp in the stores, no packed panels. mobilenet_small's 6x6 layers (36
     * positions, three vectors: one tile of three, where the panels took one panel, the one-vector
     * kernel over a packed 4 and a bias pass): 32 -> 192 with Relu6 alone 10.4-10.9 -> 8.2-8.4 us, the
     * model 553-564 -> 535-538 us per run at 1 thread (in-model, alternating builds, Zen 4).
     */
    private static final int NARROW_POINTWISE_PANELS = 4;

    /** Whether a pointwise layer's len positions from X go as one row ({@link #NARROW_POINTWISE_PANELS}). */
    private static boolean narrowRow(Sgemm gemm, int len) {
        return len < NARROW_POINTWISE_PANELS * gemm.panelWidth() && gemm.tapsRowsWidth(len) > 0;
    }

    /** Deepest column (channels x taps) {@link #direct} takes: beyond it im2col's panels win. */
    private static final int DIRECT_MAX_K = 576;

    /** Output rows per block of {@link #direct}: about {@link #blockPositions}' positions. */
    private static int directRows(int k, Phases ph, int tasksPerBlock, int threads) {
        return Math.max(1, Math.min(ph.outH, blockPositions(k, ph.outH * ph.wh, tasksPerBlock, threads, 1) / ph.wh));
    }

    /**
     * Whether {@link #direct} beats im2col for this layer: it saves the copy of K floats per position,
     * which costs about as much as a few output channels' products, but computes the layout's
     * throw-away columns and the partial panels of its longer flattened rows. In-process (1 thread,
     * against im2col): 16 channels out of 16x16, K = 144: 0.68x; lenet's 5x5 6 -> 16: 0.74x; the 3x3/2 stems
     * of 3 channels: 0.82-0.90x; resnet18's 64-channel layers: 0.98-0.99x; but 32 channels out of 8x8
     * (20 % more positions): 1.08x, 3x3/2 onto 8x8 (50 % more): 1.22x, and 128-512 channels with K of
     * 1,152 and more: 1.10-1.16x. So: K up to 576, and no more than four output channels' worth of
     * extra positions.
     */
    private boolean directPays(Phases ph, int tasksPerBlock) {
        int k = cg * kh * kw;
        if (k > DIRECT_MAX_K || m / group < Sgemm.get().stripHeight()) {
            return false; // fewer output channels than a strip: every tile an edge tile, lenet's 1 -> 6 lost 1.3x
        }
        Sgemm gemm = Sgemm.get();
        int nr = gemm.panelWidth();
        int outSize = ph.outH * ph.outW;
        int rowsPer = directRows(k, ph, tasksPerBlock, 1);
        long direct = 0;
        for (int oy = 0; oy < ph.outH; oy += rowsPer) {
            int rows = Math.min(rowsPer, ph.outH - oy);
            direct += Math.min(rowsPositions(gemm, ph, rows), flatPositions(gemm, ph, rows)); // as multiplyBlock
        }
        int nb = blockPositions(k, outSize, tasksPerBlock, 1, nr);
        long im2col = 0;
        for (int p0 = 0; p0 < outSize; p0 += nb) {
            im2col += (Math.min(nb, outSize - p0) + nr - 1) / nr * nr;
        }
        return (double) (m / group) * (direct - im2col) <= 4.0 * im2col;
    }

    /** Where row (channel, tap) of the product over the taps starts, for channels [0, cg) of a phase layout. */
    private int[] taps(Phases ph) {
        int count = ph.tapOffsets.length;
        int[] taps = new int[cg * count];
        for (int c = 0; c < cg; c++) {
            for (int t = 0; t < count; t++) {
                taps[c * count + t] = c * PanelIm2Col.phasePlane(ph) + ph.tapOffsets[t];
            }
        }
        return taps;
    }

    /**
     * {@link Sgemm#multiplyTaps} of the rows of W in a (the output channels from c0 on) on one thread,
     * with the layer's bias and clamp in its stores when the activation clamps (none, Relu, Clip),
     * else bare.
     */
    private void multiplyTaps(Sgemm gemm, PackedRows a, int c0, int[] taps, float[] src, int sOff, int n, float[] c,
                              int cOff, int ldc) {
        gemm.multiplyTaps(a, taps, src, sOff, n, c, cOff, ldc, storesBias ? bias : null, c0, storedLo(), storedHi(),
                ExecContext.serial());
    }

    /** {@link Sgemm#multiplyTapsRows} of the rows of W in a (channels from c0), bias and clamp as multiplyTaps. */
    private void multiplyTapsRows(Sgemm gemm, PackedRows a, int c0, int[] taps, float[] src, int sOff, int rows,
                                  int cols, int srcRow, float[] c, int cOff, int ldc, int dstRow) {
        gemm.multiplyTapsRows(a, taps, src, sOff, rows, cols, srcRow, c, cOff, ldc, dstRow, storesBias ? bias : null,
                c0, storedLo(), storedHi());
    }

    /**
     * The clamp of the product's stores: the activation's bounds where the stores take the bias and no
     * residual is added after them; otherwise none.
     */
    private float storedLo() {
        return storesBias && !residual ? epilogue.lo() : Float.NEGATIVE_INFINITY;
    }

    /** The upper bound of {@link #storedLo}'s clamp. */
    private float storedHi() {
        return storesBias && !residual ? epilogue.hi() : Float.POSITIVE_INFINITY;
    }

    /** One (image, group, block of output rows) of {@link #direct}, through the scratch at tOff. */
    private void directBlock(Sgemm gemm, Phases ph, int[] taps, int task, int blocks, int rowsPer, float[] phases,
                             float[] scratch, int tOff, float[] y, float[] r) {
        int blk = task % blocks;
        int gi = task / blocks % group;
        int img = task / blocks / group;
        int mg = m / group;
        int firstChannel = (img * group + gi) * cg;
        multiplyBlock(gemm, rows()[gi], gi * mg, ph, taps, phases, firstChannel * PanelIm2Col.phasePlane(ph),
                blk * rowsPer, rowsPer, scratch, tOff, y, r, img * m * ph.outH * ph.outW);
    }

    /**
     * Output rows {@code [oy0, oy0 + rowsPer)} (fewer in the last block) of the output channels
     * {@code [c0, c0 + a.rows())} of one image, whose output starts at yOff, from its phases at pOff:
     * {@link Sgemm#multiplyTapsRows} straight into Y where {@link #byRows}, else {@link Sgemm#multiplyTaps}
     * into the scratch at tOff (flattened rows with the layout's throw-away columns) and each row copied
     * into Y; with bias and activation unless the product stored them.
     */
    private void multiplyBlock(Sgemm gemm, PackedRows a, int c0, Phases ph, int[] taps, float[] phases, int pOff,
                               int oy0, int rowsPer, float[] scratch, int tOff, float[] y, float[] r, int yOff) {
        int wh = ph.wh;
        int outW = ph.outW;
        int outSize = ph.outH * outW;
        int rowCount = Math.min(rowsPer, ph.outH - oy0);
        int ldc = rowsPer * wh;
        // bias (and a clamp) in the product's stores, then plain copies: by whole vectors, where a
        // System.arraycopy per row of 16 or 32 floats cost resnet_small 1.2-3.9 % of its run at 1 thread
        boolean fused = storesBias;
        if (byRows(gemm, ph, rowCount)) {
            // straight into Y, none of the throw-away columns
            int first = yOff + c0 * outSize + oy0 * outW;
            multiplyTapsRows(gemm, a, c0, taps, phases, pOff + oy0 * wh, rowCount, outW, wh, y, first, outSize, outW);
            int len = rowCount * outW; // the channel's rows of the block are contiguous in Y
            finish(c0, a.rows(), y, r, first, outSize, fused ? len : 0, len);
            return;
        }
        multiplyTaps(gemm, a, c0, taps, phases, pOff + oy0 * wh, (rowCount - 1) * wh + outW, scratch, tOff, ldc);
        for (int row = 0; row < a.rows(); row++) {
            int ch = c0 + row;
            int src = tOff + row * ldc;
            int dst = yOff + ch * outSize + oy0 * outW;
            for (int q = 0; q < rowCount; q++) {
                if (fused) {
                    loops.copy(scratch, src + q * wh, y, dst + q * outW, outW);
                } else {
                    loops.biasActivation(scratch, src + q * wh, y, dst + q * outW, outW, bias[ch], epilogue);
                }
            }
            if (r != null) { // the channel's rows of the block are contiguous in Y
                loops.biasResidualActivation(y, dst, r, dst, y, dst, rowCount * outW, 0f, epilogue);
            }
        }
    }

    /**
     * Most floats of phases (all input channels) a layer may have to split {@link #direct} by output
     * channels ({@link #directByStrips}): 64 KB, which each thread fills for itself.
     */
    private static final int STRIPS_SPLIT_MAX_PHASE_FLOATS = 1 << 14;

    /**
     * Whether a split {@link #direct} of one image and group gives each thread whole strips of W over
     * every output row rather than blocks of output rows: for stride-1 layers whose phases are small
     * ({@link #STRIPS_SPLIT_MAX_PHASE_FLOATS}) and whose strips share out evenly. Such a layer has one
     * or two row blocks per thread; split by rows, each block computes a partial last panel of
     * positions and both threads write the phase rows between two blocks, where split by strips each
     * thread fills its own copy of the (small) phases. In-process at 2 threads, against the split by
     * rows: eight 16 -> 16 3x3 layers on 16x16 118.2 -> 101.3 us (110.5 -> 99.0 in another run),
     * resnet_small (threshold 400,000, so that its 16 -> 16 layers split) 188.1 -> 180.0 us. A stride-2
     * layer fills four phases a row at a time, and its copy per thread costs more than the split by
     * rows loses: resnet_small's 7x7/2 stem alone went 41.3 -> 44.1 us (49.6 -> 55.5), so it stays by
     * rows. resnet18 and mobilenet_v2 have no layer this takes (within 1 %).
     */
    private boolean splitsByStrips(Sgemm gemm, Phases ph, int threads) {
        int strips = (m + gemm.stripHeight() - 1) / gemm.stripHeight();
        return ph.sh == 1 && ph.sw == 1 && strips % threads == 0
                && (long) cg * PanelIm2Col.phasePlane(ph) <= STRIPS_SPLIT_MAX_PHASE_FLOATS;
    }

    /**
     * W's rows in one contiguous share of whole strips per thread, packed for {@code lanes} threads:
     * share l is rows {@code [firstRow[l], firstRow[l + 1])}, {@code widest} rows at most.
     */
    private record StripShares(int lanes, int[] firstRow, PackedRows[] rows, int widest) {
    }

    private StripShares stripShares(Sgemm gemm, int lanes) {
        StripShares s = stripShares;
        if (s == null || s.lanes != lanes) {
            int mr = gemm.stripHeight();
            int strips = (m + mr - 1) / mr;
            int k = cg * kh * kw;
            int[] firstRow = new int[lanes + 1];
            PackedRows[] rows = new PackedRows[lanes];
            for (int l = 0; l <= lanes; l++) {
                firstRow[l] = Math.min(m, strips * l / lanes * mr);
            }
            int widest = 0;
            float[] weights = weights();
            for (int l = 0; l < lanes; l++) {
                rows[l] = gemm.packRows(firstRow[l + 1] - firstRow[l], k, weights, firstRow[l] * k, k);
                widest = Math.max(widest, rows[l].rows());
            }
            s = new StripShares(lanes, firstRow, rows, widest);
            stripShares = s;
        }
        return s;
    }

    /**
     * {@link #direct} of one image and group split by output channels ({@link #splitsByStrips}): each
     * of {@code lanes} threads fills every channel's phases into a buffer of its own and multiplies
     * its share of W's strips over all the output rows, in the blocks of one thread.
     */
    private void directByStrips(ExecContext ctx, Sgemm gemm, Phases ph, int[] taps, float[] x, float[] y,
                                float[] r, int lanes) {
        StripShares shares = stripShares(gemm, lanes);
        int rowsPer = directRows(cg * kh * kw, ph, 1, 1);
        int blocks = (ph.outH + rowsPer - 1) / rowsPer;
        int need = phasesFloats(gemm, ph, taps, cg, rowsPer);
        float[] phases = ctx.floats(lanes * need);
        int per = shares.widest * rowsPer * ph.wh;
        float[] scratch = ctx.floats(lanes * per);
        ctx.parallelFor(lanes, 1, (l0, l1) -> {
            for (int lane = l0; lane < l1; lane++) {
                int pOff = lane * need;
                PanelIm2Col.fillPhases(ph, x, 0, cg, phases, pOff);
                for (int blk = 0; blk < blocks; blk++) {
                    multiplyBlock(gemm, shares.rows[lane], shares.firstRow[lane], ph, taps, phases, pOff,
                            blk * rowsPer, rowsPer, scratch, lane * per, y, r, 0);
                }
            }
        });
        ctx.recycle(scratch);
        ctx.recycle(phases);
    }

    // ---- narrow outputs (fewer positions than a GEMM panel): packed W^T, Y^T = col^T * W^T ----

    /** W[g]^T (K, M/group) per group, packed on first use: only convolutions with narrow outputs need it. */
    private PackedMatrix[] transposed() {
        PackedMatrix[] t = transposed;
        if (t == null) {
            int mg = m / group;
            int k = cg * kh * kw;
            float[] weights = weights();
            t = new PackedMatrix[group];
            for (int gi = 0; gi < group; gi++) {
                t[gi] = Sgemm.get().packB(true, k, mg, weights, gi * mg * k, k);
            }
            transposed = t;
        }
        return t;
    }

    private void packedProduct(ExecContext ctx, Plan p, int n, float[] x, float[] y, float[] r) {
        ConvGeometry g = p.g;
        Sgemm gemm = Sgemm.get();
        int outSize = g.outSize();
        int mg = m / group;
        int k = cg * kh * kw;
        int sh = gemm.stripHeight();
        int strips = (outSize + sh - 1) / sh;
        // otherwise col^T (positions x K) is gathered by im2col straight into the GEMM's row strips:
        // its panel layout with panels as wide as a strip is high
        Gathered gathered = p.gathered;
        boolean gathers = p.narrowTable != null;
        float[] colT = gathers ? ctx.floats(gemm.stripsSize(outSize, k)) : null;
        float[] ct = ctx.floats(outSize * mg);
        int imageSize = g.imageSize();
        float[] xz = gathers ? ctx.floats(cg * (imageSize + 1)) : null;
        int plane = gathered != null ? PanelIm2Col.phasePlane(gathered.padded) : 0;
        float[] padded = null;
        if (gathered != null) {
            padded = ctx.floats(n * group * cg * plane);
            fillPhases(ctx, gathered.padded, x, n * group * cg, padded);
        }
        for (int img = 0; img < n; img++) {
            for (int gi = 0; gi < group; gi++) {
                int xOff = (img * group + gi) * cg * imageSize;
                if (gathered != null) {
                    // col^T read in place from X's padded planes: no im2col (resnet18's 14x14 layers
                    // 2,410-2,521 -> 2,084 us alone, the model 43.6 -> 42.0 ms at 1 thread)
                    gemm.multiplyGathered(gathered.positions, outSize, gathered.columns, padded,
                            (img * group + gi) * cg * plane, transposed()[gi], ct, 0, mg, ctx);
                } else if (g.isPointwise()) {
                    // col^T is X^T: the GEMM packs it from X's planes itself
                    gemm.sgemmPacked(true, outSize, 1f, x, xOff, outSize, transposed()[gi], 0f, ct, 0, mg, ctx);
                } else {
                    // the copy and the gather split over the threads like the product: on one thread they
                    // left resnet18's 14x14 layers at 1.31-1.51 ms on 2 threads against 1.52 on 1
                    ctx.parallelForWork(cg, COPY_WORK * imageSize,
                            (c0, c1) -> PanelIm2Col.copyGuarded(x, xOff, imageSize, c0, c1, xz));
                    ctx.parallelForWork(strips, COPY_WORK * k * sh, (q0, q1) -> PanelIm2Col.gatherNarrow(
                            p.narrowTable, kh * kw, sh, xz, imageSize, cg, q0, q1, colT, 0));
                    gemm.multiplyStrips(colT, outSize, k, transposed()[gi], ct, 0, mg, ctx);
                }
                int yOff = (img * m + gi * mg) * outSize;
                int channel0 = gi * mg;
                // Y^T into Y, 16 channels at a time, with the bias and a clamping activation in the same pass,
                // 16 x 16 blocks transposed in registers (mobilenet_v2's 320 -> 1280 on 7x7 alone spent 14-17 %
                // of its time in a scalar transposition and 3 % in a bias pass before it, 12 % in this one; in the
                // models 0.5-1.6 % faster, in-process A/B); another activation then on Y's rows, and with a
                // residual: the bias only, then R and the activation on Y's rows
                Epilogue onRows = r != null ? Epilogue.NONE : epilogue;
                float lo = onRows.clamps() ? onRows.lo() : Float.NEGATIVE_INFINITY;
                float hi = onRows.clamps() ? onRows.hi() : Float.POSITIVE_INFINITY;
                float[] b = hasBias ? bias : null;
                ctx.parallelForWork((mg + 15) / 16, COPY_WORK * 16 * outSize, (t0, t1) -> {
                    int c0 = t0 * 16;
                    int c1 = Math.min(mg, t1 * 16);
                    loops.transposeBias(ct, outSize, mg, c0, c1, b, channel0, lo, hi, y, yOff);
                    int from = yOff + c0 * outSize; // these channels' rows are contiguous in Y
                    int to = yOff + c1 * outSize;
                    if (r != null) {
                        loops.biasResidualActivation(y, from, r, from, y, from, to - from, 0f, epilogue);
                    } else if (!onRows.clamps()) {
                        onRows.activation().apply(y, from, to);
                    }
                });
            }
        }
        ctx.recycle(padded); // null when not taken: ignored
        ctx.recycle(colT);
        ctx.recycle(xz);
        ctx.recycle(ct);
    }

    /** Whether inputs of these dimensions multiply over the taps of X or of its phases, without im2col. */
    boolean multipliesOverTaps(int[] xDims) {
        return plan(xDims).taps != null;
    }

    /** Whether inputs of these dimensions run as {@link Winograd3x3}. */
    boolean runsWinograd(int[] xDims) {
        return plan(xDims).winograd != null;
    }

    /** Whether inputs of these dimensions compute {@code Y^T = col^T * W^T} with W^T packed. */
    boolean multipliesTransposed(int[] xDims) {
        return plan(xDims).multipliesTransposed();
    }

    /** This kernel on other loops (the scalar reference, for the differential test). */
    FastConv withLoops(NnLoops other) {
        Tensor wt = Tensor.ofFloats(new int[] {m, cg, kh, kw}, weights());
        Tensor bt = hasBias ? Tensor.ofFloats(new int[] {m}, bias) : null;
        return new FastConv(generic, window, group, epilogue, residual, wt, bt, other,
                last != null ? last.xDims : null);
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return generic.inferTypes(ctx);
    }
}
