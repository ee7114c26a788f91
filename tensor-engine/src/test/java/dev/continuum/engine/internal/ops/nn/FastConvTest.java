package dev.continuum.engine.internal.ops.nn;

import static dev.continuum.engine.internal.ops.nn.NnTesting.ints;
import static dev.continuum.engine.internal.ops.nn.NnTesting.kernel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.FusedActivation;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.internal.ops.WorkerPool;
import dev.continuum.engine.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The specialised Conv ({@link FastConv}: depthwise, blocked im2col and packed paths) on the vector
 * and the scalar loops, serial and on 2 threads with an arena, against the generic {@link Conv}.
 * Tolerance: |got - want| <= 1e-4 * (1 + |want|).
 */
class FastConvTest {
    private static final WorkerPool POOL = new WorkerPool(1);

    /** n, c, h, w, m, group, k, stride, pad, activation. */
    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        String[] acts = {"", "Relu", "Clip", "Sigmoid"};
        int i = 0;
        for (int k : new int[] {3, 5}) {
            for (int s = 1; s <= 2; s++) {
                for (int pad : new int[] {0, 1, 2}) {
                    a.add(Arguments.of(1, 6, 13, 11, 6, 6, k, s, pad, acts[i++ % 4])); // depthwise
                    a.add(Arguments.of(2, 3, 7, 30, 3, 3, k, s, pad, acts[i++ % 4]));
                }
            }
        }
        a.add(Arguments.of(1, 1, 8, 8, 1, 1, 3, 2, 1, "Clip")); // depthwise 3x3: one channel, stride 2
        a.add(Arguments.of(2, 5, 14, 6, 5, 5, 3, 2, 1, "Relu")); // depthwise 3x3: stride 2, two images
        a.add(Arguments.of(1, 33, 7, 7, 33, 33, 3, 1, 1, "Clip")); // depthwise 3x3: many channels, odd plane
        a.add(Arguments.of(1, 24, 6, 6, 24, 24, 3, 2, 1, "Sigmoid")); // depthwise 3x3: 3x3 outputs
        a.add(Arguments.of(1, 7, 2, 2, 7, 7, 3, 1, 1, "")); // depthwise 3x3: plane smaller than a vector
        a.add(Arguments.of(1, 56, 3, 3, 56, 56, 3, 1, 1, "Clip")); // depthwise 3x3: planes smaller than a vector
        a.add(Arguments.of(2, 21, 4, 4, 21, 21, 3, 2, 1, "Relu")); // stride 2 to 2x2, plane by plane, two images
        a.add(Arguments.of(1, 20, 2, 2, 20, 20, 3, 2, 1, "Clip")); // stride 2, planes smaller than a vector
        a.add(Arguments.of(1, 1, 3, 5, 1, 1, 3, 1, 1, "Sigmoid")); // one plane smaller than a vector, image too
        a.add(Arguments.of(1, 3, 1, 19, 3, 3, 3, 1, 1, "Relu")); // depthwise 3x3: one row
        a.add(Arguments.of(1, 64, 28, 28, 64, 64, 3, 2, 1, "Clip")); // depthwise 3x3: stride 2, many planes
        a.add(Arguments.of(1, 64, 64, 64, 64, 64, 3, 1, 1, "Clip")); // depthwise 3x3: enough work for 2 threads
        a.add(Arguments.of(1, 64, 128, 128, 64, 64, 3, 2, 1, "Clip")); // depthwise 3x3 stride 2 by rows, 2 threads
        a.add(Arguments.of(1, 5, 23, 17, 7, 1, 1, 1, 0, "Relu")); // pointwise, wide (N = 391)
        a.add(Arguments.of(2, 5, 9, 7, 19, 1, 1, 1, 0, "Clip")); // pointwise, narrow
        a.add(Arguments.of(1, 5, 23, 17, 7, 1, 1, 2, 0, "")); // 1x1 stride 2
        a.add(Arguments.of(1, 3, 29, 31, 10, 1, 3, 1, 1, "Relu")); // im2col, wide
        a.add(Arguments.of(2, 4, 11, 9, 6, 2, 3, 2, 1, "Sigmoid")); // grouped, narrow
        a.add(Arguments.of(1, 4, 33, 20, 6, 2, 3, 1, 2, "")); // grouped, wide
        a.add(Arguments.of(1, 3, 40, 40, 5, 1, 7, 2, 3, "Relu")); // 7x7 stride 2
        a.add(Arguments.of(1, 3, 64, 64, 16, 1, 7, 2, 3, "Relu")); // 7x7 stride 2, 1024 positions in blocks
        a.add(Arguments.of(1, 8, 4, 4, 13, 1, 3, 2, 1, "Relu")); // narrower than a panel (2x2 positions)
        a.add(Arguments.of(2, 16, 3, 3, 20, 1, 1, 1, 0, "Clip")); // pointwise, narrower than a panel
        a.add(Arguments.of(1, 24, 4, 4, 40, 1, 3, 1, 1, "Clip")); // narrow, more output channels than a vector
        a.add(Arguments.of(1, 4, 10, 10, 6, 2, 1, 2, 0, "")); // grouped 1x1 stride 2 (phases of stride 2)
        // the product over the taps (no im2col): grouped, two images, a partial last panel, 2 threads
        a.add(Arguments.of(1, 8, 20, 20, 32, 2, 3, 1, 1, "Relu"));
        a.add(Arguments.of(2, 4, 18, 18, 16, 1, 3, 1, 1, "Clip"));
        a.add(Arguments.of(1, 6, 14, 14, 16, 1, 5, 1, 0, "")); // lenet's second convolution
        a.add(Arguments.of(1, 64, 32, 32, 64, 1, 1, 1, 0, "Relu")); // pointwise from X's rows, split on 2 threads
        // pointwise from X's rows on 2 threads by shares of W's rows (4 and 5 strips), a partial last panel
        a.add(Arguments.of(1, 24, 30, 30, 72, 1, 1, 1, 0, "Clip"));
        a.add(Arguments.of(1, 16, 24, 24, 64, 1, 3, 1, 1, "Clip")); // im2col, split on 2 threads by rows of W
        // the product over the taps on 2 threads: by blocks of output rows (stride 2 as the 7x7 case
        // above, phases over 64 KB, strips that do not share out evenly), else by strips of output
        // channels, each thread with its own phases
        a.add(Arguments.of(1, 16, 40, 40, 32, 1, 3, 1, 1, "Relu")); // by blocks of rows
        a.add(Arguments.of(1, 16, 28, 28, 24, 1, 3, 1, 1, "Clip")); // three strips: by blocks of rows
        a.add(Arguments.of(1, 16, 28, 28, 32, 1, 3, 1, 1, "Relu")); // by strips, two each
        a.add(Arguments.of(1, 8, 40, 40, 12, 1, 5, 1, 2, "")); // by strips, the second one partial
        // rows of whole vectors go straight into Y, two vectors to a tile: even and odd counts of
        // vectors, a partial strip, a bias pass after the product (Sigmoid)
        a.add(Arguments.of(1, 16, 16, 16, 16, 1, 3, 1, 1, "Relu")); // resnet_small's 16 -> 16 on 16x16
        a.add(Arguments.of(1, 8, 15, 16, 13, 1, 3, 1, 1, "Sigmoid"));
        a.add(Arguments.of(2, 4, 17, 32, 9, 1, 3, 1, 1, ""));
        a.add(Arguments.of(1, 3, 34, 64, 16, 1, 7, 2, 3, "Clip")); // 17 rows of 32
        a.add(Arguments.of(1, 8, 9, 8, 16, 1, 3, 1, 1, "Relu")); // a vector of 8 lanes
        a.add(Arguments.of(1, 3, 96, 96, 16, 1, 3, 2, 1, "Clip")); // mobilenet's 3x3/2 stem: rows of 48
        a.add(Arguments.of(1, 5, 11, 48, 12, 1, 3, 1, 1, "")); // 11 rows of 48: an odd count of vectors
        // strided 1x1 windows without pads: X subsampled, then a pointwise layer
        a.add(Arguments.of(1, 16, 40, 40, 32, 1, 1, 2, 0, "Relu")); // 20x20: from the subsampled rows
        a.add(Arguments.of(2, 16, 16, 16, 32, 1, 1, 2, 0, "")); // resnet's downsample onto 8x8, two images
        // enough work to split on 2 threads (resnet18's downsample onto 28x28)
        a.add(Arguments.of(1, 64, 56, 56, 128, 1, 1, 2, 0, "Relu"));
        a.add(Arguments.of(2, 48, 40, 40, 128, 2, 1, 2, 0, "")); // grouped, two images: four (image, group)s
        a.add(Arguments.of(1, 4, 11, 13, 8, 1, 1, 3, 0, "Clip")); // stride 3, odd sizes
        a.add(Arguments.of(1, 8, 6, 6, 16, 1, 1, 2, 0, "Relu")); // onto 3x3: narrower than a panel
        a.add(Arguments.of(1, 4, 9, 9, 8, 1, 1, 2, 1, "")); // with pads: not a subsampling
        // deep layers (few positions, a large W): on 2 threads split by rows of W over shared panels
        a.add(Arguments.of(1, 64, 7, 7, 100, 1, 3, 1, 1, "Relu"));
        a.add(Arguments.of(1, 64, 14, 14, 96, 1, 3, 2, 1, ""));
        a.add(Arguments.of(1, 384, 7, 7, 128, 1, 1, 1, 0, "Clip"));
        // pointwise onto fewer than two panels of positions: Y^T = X^T * W^T, two images, a partial panel of W^T
        a.add(Arguments.of(2, 40, 6, 9, 50, 1, 1, 1, 0, "Relu"));
        // deep layers on small planes: Y^T = col^T * W^T, positions in strips of 8 (K above 576)
        a.add(Arguments.of(1, 72, 7, 7, 40, 1, 3, 1, 1, "Relu")); // 49 positions: 6 strips and one row
        a.add(Arguments.of(2, 72, 14, 14, 24, 1, 3, 2, 1, "")); // onto 7x7, two images
        a.add(Arguments.of(1, 160, 12, 12, 48, 2, 3, 1, 1, "Clip")); // grouped (K = 720), 144 positions
        a.add(Arguments.of(1, 128, 16, 16, 64, 1, 3, 1, 1, "Relu")); // 256 positions, split on 2 threads
        // narrow outputs read in place from X's padded planes: tiles of 8, 4 and 1 positions, a partial
        // panel of output channels, a 5x5 window of stride 2 with pads 2 onto 3x3, three images
        a.add(Arguments.of(3, 9, 3, 7, 70, 1, 3, 1, 1, "Clip"));
        a.add(Arguments.of(1, 20, 6, 5, 36, 1, 5, 2, 2, "Relu"));
        a.add(Arguments.of(1, 256, 16, 16, 32, 1, 3, 1, 1, "Clip")); // one panel: positions split on 2 threads
        a.add(Arguments.of(1, 64, 28, 28, 64, 1, 3, 1, 1, "Relu")); // 784 positions, whole panels
        // Winograd's F(2x2, 3x3) (serial runs; split ones take the direct product): rows of tiles shorter
        // than a vector and odd outputs (9 x 13: a last row and column of tiles half outside), rows of
        // tiles longer than a vector (20 and 19), no pads, pads of 2 (seven blocks of rows of tiles), a
        // last part of U of 2 output channels, an activation after the stores (Sigmoid), two images
        a.add(Arguments.of(1, 128, 9, 13, 130, 1, 3, 1, 1, "Relu"));
        a.add(Arguments.of(2, 128, 20, 40, 128, 1, 3, 1, 1, "Sigmoid"));
        a.add(Arguments.of(1, 128, 12, 12, 128, 1, 3, 1, 0, "Clip"));
        a.add(Arguments.of(1, 130, 35, 36, 129, 1, 3, 1, 2, ""));
        a.add(Arguments.of(1, 256, 14, 14, 256, 1, 3, 1, 1, "Relu")); // resnet18's 14x14 layers
        return a.stream();
    }

    @ParameterizedTest(name = "Conv float32 x=({0},{1},{2},{3}) m={4} group={5} k={6} stride={7} pad={8} act={9}")
    @MethodSource("cases")
    void fastConvMatchesGenericConv(int n, int c, int h, int w, int m, int group, int k, int stride, int pad,
                                    String act) {
        Random rnd = new Random(n * 1000L + c * 100 + h * 10 + k + stride + pad);
        Tensor x = Tensor.ofFloats(new int[] {n, c, h, w}, random(rnd, n * c * h * w));
        Tensor wt = Tensor.ofFloats(new int[] {m, c / group, k, k}, random(rnd, m * (c / group) * k * k));
        Tensor b = Tensor.ofFloats(new int[] {m}, random(rnd, m));
        List<AttributeProto> attrs = new ArrayList<>(List.of(ints("pads", pad, pad, pad, pad),
                ints("strides", stride, stride), NnTesting.i("group", group)));
        if (!act.isEmpty()) {
            attrs.add(NnTesting.s(FusedActivation.ATTR_ACTIVATION, act));
            attrs.add(NnTesting.f(FusedActivation.ATTR_ALPHA, act.equals("Clip") ? 0f : 0.1f));
            attrs.add(NnTesting.f(FusedActivation.ATTR_BETA, act.equals("Clip") ? 0.5f : 0f));
        }
        for (boolean withBias : new boolean[] {true, false}) {
            Kernel generic = kernel("Conv", 22, withBias ? 3 : 2, 1, attrs.toArray(new AttributeProto[0]));
            Tensor[] in = withBias ? new Tensor[] {x, wt, b} : new Tensor[] {x, wt};
            float[] want = generic.compute(ExecContext.serial(), in)[0].floatData();
            Kernel special = generic.specialize(context(in));
            assertThat(special).isInstanceOf(FastConv.class);
            int[] dims = generic.compute(ExecContext.serial(), in)[0].dims();
            compareOnEveryPath((FastConv) special, in, dims, want, "Conv float32 x=" + shape(x) + " w=" + shape(wt)
                    + " stride=" + stride + " pad=" + pad + " group=" + group + " act=" + act + " bias=" + withBias);
        }
    }

    /**
     * The kernel with a residual ({@link FastConv#withResidual}) against the generic Conv, then the
     * addition of R, then the activation, on every path of {@link #cases}; depthwise weights take none.
     */
    @ParameterizedTest(name = "Conv + R float32 x=({0},{1},{2},{3}) m={4} group={5} k={6} stride={7} pad={8} act={9}")
    @MethodSource("cases")
    void residualMatchesConvThenAddThenActivation(int n, int c, int h, int w, int m, int group, int k, int stride,
                                                  int pad, String act) {
        Random rnd = new Random(n * 1000L + c * 100 + h * 10 + k + stride + pad + 7);
        Tensor x = Tensor.ofFloats(new int[] {n, c, h, w}, random(rnd, n * c * h * w));
        Tensor wt = Tensor.ofFloats(new int[] {m, c / group, k, k}, random(rnd, m * (c / group) * k * k));
        Tensor b = Tensor.ofFloats(new int[] {m}, random(rnd, m));
        AttributeProto[] attrs = {ints("pads", pad, pad, pad, pad), ints("strides", stride, stride),
            NnTesting.i("group", group)};
        FusedActivation activation = act.isEmpty() ? FusedActivation.none() : new FusedActivation(
                FusedActivation.kindOf(act), act.equals("Clip") ? 0f : 0.1f, act.equals("Clip") ? 0.5f : 0f);
        for (boolean withBias : new boolean[] {true, false}) {
            Kernel generic = kernel("Conv", 22, withBias ? 3 : 2, 1, attrs);
            Tensor[] in = withBias ? new Tensor[] {x, wt, b} : new Tensor[] {x, wt};
            Tensor conv = generic.compute(ExecContext.serial(), in)[0];
            Kernel special = generic.specialize(context(in));
            Kernel fused = special.withResidual(activation);
            if (c / group == 1 && group == m) {
                assertThat(fused).as("depthwise weights").isNull();
                continue;
            }
            Tensor r = Tensor.ofFloats(conv.dims(), random(rnd, conv.size()));
            float[] want = conv.floatData().clone();
            for (int i = 0; i < want.length; i++) {
                want[i] += r.floatData()[i];
            }
            activation.apply(want, 0, want.length);
            Tensor[] withR = {x, wt, withBias ? b : null, r};
            compareOnEveryPath((FastConv) fused, withR, conv.dims(), want, "Conv + R float32 x=" + shape(x) + " w="
                    + shape(wt) + " stride=" + stride + " pad=" + pad + " group=" + group + " act=" + act + " bias="
                    + withBias);
        }
    }

    /**
     * The kernel on the scalar and the vector loops, serial and twice on 2 threads with one arena (the
     * second run on recycled, dirty arrays), against the expected output.
     */
    private static void compareOnEveryPath(FastConv kernel, Tensor[] in, int[] dims, float[] want, String what) {
        for (NnLoops loops : new NnLoops[] {NnLoops.scalar(), NnLoops.get()}) {
            Kernel fast = kernel.withLoops(loops);
            Arena arena = new Arena();
            for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2, arena),
                    new ExecContext(POOL, 2, arena)}) {
                Tensor got = fast.compute(ctx, in)[0];
                String where = what + " " + loops.getClass().getSimpleName() + " threads=" + ctx.threads();
                assertThat(got.dims()).as(where).isEqualTo(dims);
                compare(where, got.floatData(), want);
                arena.recycle(got.data());
            }
        }
    }

    /** A residual of another shape than the output is refused, naming R and both shapes. */
    @org.junit.jupiter.api.Test
    void residualOfAnotherShapeIsRefused() {
        Tensor x = Tensor.ofFloats(new int[] {1, 4, 6, 6}, random(new Random(3), 144));
        Tensor wt = Tensor.ofFloats(new int[] {8, 4, 3, 3}, random(new Random(4), 288));
        Tensor[] in = {x, wt};
        Kernel fused = kernel("Conv", 22, 2, 1, ints("pads", 1, 1, 1, 1)).specialize(context(in))
                .withResidual(FusedActivation.none());
        Tensor r = Tensor.ofFloats(new int[] {1, 8, 6, 5}, new float[240]);
        assertThatThrownBy(() -> fused.compute(ExecContext.serial(), new Tensor[] {x, wt, null, r}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("residual input R float32[1,8,6,5]")
                .hasMessageContaining("expected float32[1,8,6,6]");
        assertThatThrownBy(() -> fused.compute(ExecContext.serial(), new Tensor[] {x, wt, null, null}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("residual input R is missing");
        assertThat(fused.withResidual(FusedActivation.none())).as("a second residual").isNull();
    }

    /** Pads that differ between the two sides of each axis, on the narrow path that reads X's padded planes. */
    @org.junit.jupiter.api.Test
    void narrowOutputWithUnevenPads() {
        Random rnd = new Random(11);
        Tensor x = Tensor.ofFloats(new int[] {1, 6, 6, 7}, random(rnd, 6 * 42));
        Tensor wt = Tensor.ofFloats(new int[] {10, 6, 3, 3}, random(rnd, 10 * 54));
        Tensor b = Tensor.ofFloats(new int[] {10}, random(rnd, 10));
        Tensor[] in = {x, wt, b};
        // top 0, left 2, bottom 1, right 0: (6 + 1 - 3) / 2 + 1 = 3 rows, (7 + 2 - 3) / 2 + 1 = 4 columns
        Kernel generic = kernel("Conv", 22, 3, 1, ints("pads", 0, 2, 1, 0), ints("strides", 2, 2));
        FastConv fast = (FastConv) generic.specialize(context(in));
        if (3 * 4 < dev.continuum.engine.internal.gemm.Sgemm.get().panelWidth()) { // narrower than a panel
            assertThat(fast.multipliesTransposed(x.dims())).isTrue();
        }
        float[] want = generic.compute(ExecContext.serial(), in)[0].floatData();
        assertThat(want).hasSize(10 * 3 * 4);
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2, new Arena())}) {
            compare("Conv with pads (0, 2, 1, 0) threads=" + ctx.threads(), fast.compute(ctx, in)[0].floatData(), want);
        }
    }

    /** Which layers multiply over the taps of their input, and which copy it first (im2col). */
    @org.junit.jupiter.api.Test
    void productOverTheTapsWhereItPays() {
        // the choice depends on the tile: these are the layers measured with AVX-512's 8 x 32
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.continuum.engine.internal.gemm.Sgemm.get().stripHeight() == 8
                && dev.continuum.engine.internal.gemm.Sgemm.get().panelWidth() == 32, "an 8 x 32 SGEMM tile");
        // c, h, m, group, k, stride, pad, expected
        Object[][] layers = {
                {16, 16, 16, 1, 3, 1, 1, true}, // resnet_small's 16x16 layers
                {3, 64, 16, 1, 7, 2, 3, true}, // its stem
                {3, 96, 16, 1, 3, 2, 1, true}, // mobilenet_small's first layer
                {16, 112, 96, 1, 1, 1, 0, true}, // pointwise, from X's rows
                {16, 16, 32, 1, 3, 2, 1, false}, // 3x3/2 onto 8x8: 50 % more positions
                {1, 28, 6, 1, 5, 1, 2, false}, // fewer output channels than a strip
                {128, 28, 128, 1, 3, 1, 1, false}, // K = 1,152
                {320, 7, 1280, 1, 1, 1, 0, false}, // pointwise with 49 positions
                {8, 4, 13, 1, 3, 2, 1, false}, // narrower than a panel
        };
        for (Object[] l : layers) {
            int c = (int) l[0];
            int h = (int) l[1];
            FastConv fast = layer(c, h, (int) l[2], (int) l[3], (int) l[4], (int) l[5], (int) l[6]);
            assertThat(fast.multipliesOverTaps(new int[] {1, c, h, h})).as("layer %s", java.util.Arrays.toString(l))
                    .isEqualTo(l[7]);
        }
    }

    /**
     * Which layers run as Winograd's F(2x2, 3x3): 3x3 windows of stride 1 in one group with 128 channels
     * and more in and out, onto 8x8 and more; {@value FastConv#WINOGRAD_PROPERTY} = false turns it off.
     */
    @org.junit.jupiter.api.Test
    void winogradWhereItPays() {
        // c, h, m, group, k, stride, expected
        Object[][] layers = {
                {128, 28, 128, 1, 3, 1, true},
                {256, 14, 256, 1, 3, 1, true},
                {128, 8, 160, 1, 3, 1, true},
                {128, 28, 256, 1, 3, 2, false}, // stride 2
                {512, 7, 512, 1, 3, 1, false}, // 7x7: U (16 MB) does not pay for its 16 tiles
                {64, 56, 64, 1, 3, 1, false}, // 64 channels: the transforms cost more than they save
                {128, 28, 128, 2, 3, 1, false}, // grouped
                {128, 14, 128, 1, 5, 1, false}, // 5x5
        };
        for (boolean off : new boolean[] {false, true}) {
            if (off) {
                System.setProperty(FastConv.WINOGRAD_PROPERTY, "false");
            }
            try {
                for (Object[] l : layers) {
                    int c = (int) l[0];
                    int h = (int) l[1];
                    FastConv fast = layer(c, h, (int) l[2], (int) l[3], (int) l[4], (int) l[5], 1);
                    assertThat(fast.runsWinograd(new int[] {1, c, h, h})).as("layer %s, property off: %s",
                            java.util.Arrays.toString(l), off).isEqualTo(!off && (boolean) l[6]);
                }
            } finally {
                System.clearProperty(FastConv.WINOGRAD_PROPERTY);
            }
        }
    }

    /** Which layers compute Y^T = col^T * W^T: narrow outputs, and deep layers on small planes. */
    @org.junit.jupiter.api.Test
    void transposedProductForNarrowAndDeepSmallLayers() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.continuum.engine.internal.gemm.Sgemm.get().stripHeight() == 8
                && dev.continuum.engine.internal.gemm.Sgemm.get().panelWidth() == 32, "an 8 x 32 SGEMM tile");
        // c, h, m, k, stride, pad, expected
        int[][] layers = {
                {512, 7, 512, 3, 1, 1, 1}, // resnet18's last layers: K = 4,608, 49 positions
                {256, 14, 256, 3, 1, 1, 1}, // K = 2,304, 196 positions
                {128, 28, 256, 3, 2, 1, 1}, // onto 14x14
                {128, 28, 128, 3, 1, 1, 1}, // 784 positions, output channels in whole panels
                {64, 14, 64, 3, 1, 1, 1}, // K = 576, whole panels
                {64, 32, 64, 3, 1, 1, 0}, // 1,024 positions: the product over the taps
                {32, 12, 32, 3, 1, 1, 1}, // one panel of output channels, 144 positions
                {32, 28, 32, 3, 1, 1, 0}, // one panel, 784 positions
                {16, 16, 16, 3, 1, 1, 0}, // half a panel of output channels
                {56, 24, 56, 3, 1, 1, 0}, // 64 columns for 56 channels: more than an eighth padding
                {320, 7, 1280, 1, 1, 0, 1}, // pointwise with 49 positions: strips 6 x 8 + 1, not panels 32 + 17
                {320, 8, 1280, 1, 1, 0, 0}, // pointwise with 64 positions: two whole panels
                {96, 6, 576, 1, 1, 0, 0}, // pointwise with 36 positions: a panel and one vector
                {8, 4, 13, 3, 2, 1, 1}, // narrower than a panel
        };
        for (int[] l : layers) {
            FastConv fast = layer(l[0], l[1], l[2], 1, l[3], l[4], l[5]);
            assertThat(fast.multipliesTransposed(new int[] {1, l[0], l[1], l[1]}))
                    .as("layer %s", java.util.Arrays.toString(l)).isEqualTo(l[6] == 1);
        }
    }

    /** The specialised kernel of a layer of c -> m channels on one h x h image, for checking which path it takes. */
    private static FastConv layer(int c, int h, int m, int group, int k, int stride, int pad) {
        Random rnd = new Random(c + h);
        Tensor x = Tensor.ofFloats(new int[] {1, c, h, h}, random(rnd, c * h * h));
        Tensor wt = Tensor.ofFloats(new int[] {m, c / group, k, k}, random(rnd, m * c / group * k * k));
        Kernel generic = kernel("Conv", 22, 2, 1, ints("pads", pad, pad, pad, pad), ints("strides", stride, stride),
                NnTesting.i("group", group));
        return (FastConv) generic.specialize(context(new Tensor[] {x, wt}));
    }

    /**
     * A kernel made for one input shape packs only the weight layout that shape multiplies with, and then
     * the graph holds no W (input 1 comes as null): the kernel computes from its packed layout, unpacks W
     * exactly to pack another shape's layout on first use, a split run's shares and the other loops, and
     * hands W to the generic kernel that names a wrong input. Depthwise and Winograd layers keep W, and
     * the graph keeps it for them.
     */
    @org.junit.jupiter.api.Test
    void packedWeightsAreAllTheKernelKeepsAndGiveBackWExactly() {
        Random rnd = new Random(11);
        Tensor small = Tensor.ofFloats(new int[] {1, 72, 7, 7}, random(rnd, 72 * 49));
        Tensor large = Tensor.ofFloats(new int[] {1, 72, 30, 30}, random(rnd, 72 * 900));
        Tensor wt = Tensor.ofFloats(new int[] {40, 72, 3, 3}, random(rnd, 40 * 72 * 9));
        Tensor b = Tensor.ofFloats(new int[] {40}, random(rnd, 40));
        Kernel generic = kernel("Conv", 22, 3, 1, ints("pads", 1, 1, 1, 1));
        for (Tensor[] made : new Tensor[][] {{small, wt, b}, {large, wt, b}}) {
            FastConv fast = (FastConv) generic.specialize(context(made));
            assertThat(fast.readsAtRun(1)).as("W read at run, made for " + shape(made[0])).isFalse();
            assertThat(fast.readsAtRun(0)).isTrue();
            for (Tensor x : new Tensor[] {made[0], large, small}) {
                float[] want = generic.compute(ExecContext.serial(), new Tensor[] {x, wt, b})[0].floatData();
                for (NnLoops loops : new NnLoops[] {NnLoops.get(), NnLoops.scalar()}) {
                    for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2, new Arena(),
                            1)}) {
                        compare("Conv made for " + shape(made[0]) + ", run on " + shape(x) + " without W, "
                                        + loops.getClass().getSimpleName() + " threads=" + ctx.threads(),
                                fast.withLoops(loops).compute(ctx, new Tensor[] {x, null, b})[0].floatData(), want);
                    }
                }
            }
            Tensor wrong = Tensor.ofFloats(new int[] {1, 71, 7, 7}, new float[71 * 49]);
            assertThatThrownBy(() -> fast.compute(ExecContext.serial(), new Tensor[] {wrong, null, b}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("71")
                    .hasMessageContaining("72");
        }

        Tensor dwX = Tensor.ofFloats(new int[] {1, 8, 12, 12}, random(rnd, 8 * 144));
        Tensor dwW = Tensor.ofFloats(new int[] {8, 1, 3, 3}, random(rnd, 72));
        Kernel depthwise = kernel("Conv", 22, 2, 1, ints("pads", 1, 1, 1, 1), NnTesting.i("group", 8))
                .specialize(context(new Tensor[] {dwX, dwW}));
        assertThat(depthwise.readsAtRun(1)).as("depthwise W").isTrue();
        Tensor wgX = Tensor.ofFloats(new int[] {1, 128, 8, 8}, random(rnd, 128 * 64));
        Tensor wgW = Tensor.ofFloats(new int[] {128, 128, 3, 3}, random(rnd, 128 * 128 * 9));
        FastConv winograd = (FastConv) kernel("Conv", 22, 2, 1, ints("pads", 1, 1, 1, 1))
                .specialize(context(new Tensor[] {wgX, wgW}));
        assertThat(winograd.runsWinograd(wgX.dims())).isTrue();
        assertThat(winograd.readsAtRun(1)).as("Winograd's W").isTrue();
    }

    /** c, h, m, group, k, dilation, pad: dilated convolutions, depthwise and not, narrow and wide outputs. */
    static Stream<Arguments> dilated() {
        return Stream.of(
                Arguments.of(8, 12, 8, 8, 3, 2, 2), // depthwise, 12x12 outputs (the generic kernel; was a NullPointerException)
                Arguments.of(8, 5, 8, 8, 3, 2, 2), // depthwise, 5x5 outputs (narrow)
                Arguments.of(4, 12, 6, 1, 3, 2, 2), // regular, wide
                Arguments.of(2, 5, 3, 1, 3, 2, 2)); // regular, narrow
    }

    @ParameterizedTest(name = "dilated Conv float32 c={0} h={1} m={2} group={3} k={4} dilation={5} pad={6}")
    @MethodSource("dilated")
    void dilatedConvolutionMatchesGenericConv(int c, int h, int m, int group, int k, int dilation, int pad) {
        Random rnd = new Random(c * 100L + h + dilation);
        Tensor x = Tensor.ofFloats(new int[] {1, c, h, h}, random(rnd, c * h * h));
        Tensor wt = Tensor.ofFloats(new int[] {m, c / group, k, k}, random(rnd, m * (c / group) * k * k));
        Tensor b = Tensor.ofFloats(new int[] {m}, random(rnd, m));
        Tensor[] in = {x, wt, b};
        Kernel generic = kernel("Conv", 22, 3, 1, ints("pads", pad, pad, pad, pad), ints("dilations", dilation, dilation),
                NnTesting.i("group", group));
        float[] want = generic.compute(ExecContext.serial(), in)[0].floatData();
        Kernel special = generic.specialize(context(in));
        for (ExecContext ctx : new ExecContext[] {ExecContext.serial(), new ExecContext(POOL, 2, new Arena())}) {
            compare("dilated Conv float32 c=" + c + " h=" + h + " group=" + group + " threads=" + ctx.threads(),
                    special.compute(ctx, in)[0].floatData(), want);
        }
    }

    static void compare(String what, float[] got, float[] want) {
        assertThat(got.length).as(what).isEqualTo(want.length);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])))) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
            }
        }
    }

    private static String shape(Tensor t) {
        return java.util.Arrays.toString(t.dims());
    }

    static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** Every input known, inputs 1 and up constant. */
    static TypeContext context(Tensor[] in) {
        return new TypeContext() {
            @Override
            public int inputCount() {
                return in.length;
            }

            @Override
            public ValueType input(int i) {
                return i < in.length ? ValueType.of(in[i].dataType(), in[i].dims()) : ValueType.unknown();
            }

            @Override
            public Tensor constant(int i) {
                return i >= 1 && i < in.length ? in[i] : null;
            }

            @Override
            public boolean hasInput(int i) {
                return i < in.length && in[i] != null;
            }
        };
    }

    static final DataType FLOAT = DataType.FLOAT;
}
