package dev.continuum.engine.internal.ops.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.continuum.engine.internal.ops.FusedActivation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NnLoops#depthwise3x3} of the Vector API implementation against the scalar reference, and
 * the reference against a direct sum over the zero-padded plane, on planes narrower than, equal to
 * and wider than a vector, stride 1 and 2, with every epilogue kind. Tolerance:
 * |got - want| <= 1e-5 * (1 + |want|). The scratch starts dirty past its guards and the output
 * outside the plane must stay untouched.
 */
class Depthwise3x3Test {
    private static final NnLoops SCALAR = NnLoops.scalar();
    private static final NnLoops VECTOR = NnLoops.get();

    /** h, w, stride. */
    static Stream<Arguments> planes() {
        List<Arguments> a = new ArrayList<>();
        for (int h : new int[] {1, 2, 3, 4, 7, 10, 14}) {
            for (int w : new int[] {1, 2, 3, 5, 8, 9, 15, 16, 17, 28, 32, 46}) {
                a.add(Arguments.of(h, w, 1));
                if (h % 2 == 0 && w % 2 == 0) {
                    a.add(Arguments.of(h, w, 2));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "depthwise 3x3 float32 plane=({0},{1}) stride={2}")
    @MethodSource("planes")
    void vectorPlaneMatchesScalarReferenceAndPaddedSum(int h, int w, int stride) {
        Depthwise3x3 d = Depthwise3x3.of(geometry(h, w, stride));
        assertThat(d).isNotNull();
        Random rnd = new Random(h * 100L + w * 3 + stride);
        int xOff = 5;
        float[] x = FastConvTest.random(rnd, xOff + h * w + 23); // room for vector reads past the plane
        float[] wt = FastConvTest.random(rnd, 11);
        float bias = 0.125f;
        for (FusedActivation act : new FusedActivation[] {FusedActivation.none(),
                new FusedActivation(FusedActivation.Kind.RELU, 0, 0),
                new FusedActivation(FusedActivation.Kind.CLIP, -0.3f, 0.4f),
                new FusedActivation(FusedActivation.Kind.SIGMOID, 0, 0)}) {
            Epilogue e = Epilogue.of(act);
            String what = "depthwise 3x3 float32 plane=(" + h + ", " + w + ") stride=" + stride + " act=" + act;
            float[] want = paddedSum(x, xOff, h, w, stride, d.outH, d.outW, wt, 2, bias);
            e.activation().apply(want, 0, want.length);
            int yOff = 3;
            // the vector loops once more on x ending with the plane (a stride-2 plane with rows under a
            // vector is then copied into the scratch first), on the scratch the run before left behind,
            // as a layer's last plane does
            float[] tight = Arrays.copyOf(x, xOff + h * w);
            int sOff = 4;
            float[] scratch = new float[sOff + d.scratchSize() + 9];
            for (int run = 0; run < 3; run++) {
                NnLoops loops = run == 0 ? SCALAR : VECTOR;
                float[] in = run == 2 ? tight : x;
                if (run < 2) {
                    Arrays.fill(scratch, Float.NaN); // only the guards are zero; the rest is the kernel's
                    Arrays.fill(scratch, sOff, sOff + d.scratchSize(), 0f);
                }
                float[] y = new float[yOff + d.outSize + 9];
                Arrays.fill(y, -7f);
                loops.depthwise3x3(d, in, xOff, wt, 2, bias, e, scratch, sOff, y, yOff);
                String on = what + " " + loops.getClass().getSimpleName() + (run == 2 ? " (x ends with the plane)" : "");
                for (int i = 0; i < y.length; i++) {
                    boolean inPlane = i >= yOff && i < yOff + d.outSize;
                    float expected = inPlane ? want[i - yOff] : -7f;
                    if (!(Math.abs(y[i] - expected) <= 1e-5 * (1 + Math.abs(expected)))) {
                        fail(on + ": element " + (i - yOff) + " is " + y[i] + ", expected " + expected);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "max pool 3x3 float32 plane=({0},{1}) stride={2}")
    @MethodSource("planes")
    void vectorMaxPoolMatchesScalarReferenceAndPaddedMax(int h, int w, int stride) {
        Depthwise3x3 d = Depthwise3x3.of(geometry(h, w, stride));
        Random rnd = new Random(h * 31L + w * 7 + stride);
        int xOff = 2;
        float[] x = FastConvTest.random(rnd, xOff + h * w + 21); // room for vector reads past the plane
        for (int i = 0; i < x.length; i += 5) {
            x[i] -= 3f; // negative windows: padding must not read as 0
        }
        float[] want = new float[d.outSize];
        for (int oy = 0; oy < d.outH; oy++) {
            for (int ox = 0; ox < d.outW; ox++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int iy = oy * stride - 1; iy <= oy * stride + 1; iy++) {
                    for (int ix = ox * stride - 1; ix <= ox * stride + 1; ix++) {
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                            m = Math.max(m, x[xOff + iy * w + ix]);
                        }
                    }
                }
                want[oy * d.outW + ox] = m;
            }
        }
        int yOff = 1;
        for (NnLoops loops : new NnLoops[] {SCALAR, VECTOR}) {
            int sOff = 3;
            float[] scratch = new float[sOff + d.scratchSize() + 4];
            Arrays.fill(scratch, Float.NaN);
            Arrays.fill(scratch, sOff, sOff + d.scratchSize(), Float.NEGATIVE_INFINITY);
            float[] y = new float[yOff + d.outSize + 4];
            Arrays.fill(y, -7f);
            loops.maxPool3x3(d, x, xOff, scratch, sOff, y, yOff);
            for (int i = 0; i < y.length; i++) {
                boolean inPlane = i >= yOff && i < yOff + d.outSize;
                float expected = inPlane ? want[i - yOff] : -7f;
                assertThat(y[i]).as("MaxPool 3x3 float32 plane=(%d, %d) stride=%d %s element %d", h, w, stride,
                        loops.getClass().getSimpleName(), i - yOff).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "depthwise 3x3 layout refuses pads={0} stride={1} plane=({2},{3})")
    @MethodSource("refused")
    void layoutIsOnlyForPadOneStrideOneOrEvenStrideTwo(int pad, int stride, int h, int w) {
        int outH = (h + 2 * pad - 3) / stride + 1;
        int outW = (w + 2 * pad - 3) / stride + 1;
        ConvGeometry g = new ConvGeometry(new int[] {h, w}, new int[] {3, 3}, new int[] {stride, stride},
                new int[] {1, 1}, new int[] {pad, pad}, new int[] {pad, pad}, new int[] {outH, outW});
        assertThat(Depthwise3x3.of(g)).isNull();
    }

    static Stream<Arguments> refused() {
        return Stream.of(Arguments.of(0, 1, 8, 8), Arguments.of(2, 1, 8, 8), Arguments.of(1, 2, 7, 8),
                Arguments.of(1, 2, 8, 9), Arguments.of(1, 3, 9, 9));
    }

    @org.junit.jupiter.api.Test
    void layoutRefusesAnOutputItDoesNotProduceSuchAsCeilMode() {
        ConvGeometry g = new ConvGeometry(new int[] {8, 8}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {5, 5});
        assertThat(Depthwise3x3.of(g)).isNull();
    }

    /** channels, h, w, stride: planes smaller than a vector (stride 1, and stride 2 from 2x2 to 6x6). */
    static Stream<Arguments> smallPlanes() {
        return Stream.of(Arguments.of(56, 3, 3, 1), Arguments.of(9, 2, 3, 1), Arguments.of(40, 1, 5, 1),
                Arguments.of(20, 2, 2, 2), Arguments.of(21, 4, 4, 2), Arguments.of(24, 6, 6, 2));
    }

    @ParameterizedTest(name = "depthwise 3x3 whole image float32 channels={0} plane=({1},{2}) stride={3}")
    @MethodSource("smallPlanes")
    void wholeImageOfSmallPlanesMatchesScalarReference(int channels, int h, int w, int stride) {
        Depthwise3x3 d = Depthwise3x3.of(geometry(h, w, stride));
        Random rnd = new Random(channels * 100L + h * 10 + w + stride);
        float[] wt = FastConvTest.random(rnd, channels * 9);
        float[] bias = FastConvTest.random(rnd, channels);
        SmallPlaneDepthwise sp = SmallPlaneDepthwise.of(d, channels, wt, bias, VECTOR.lanes());
        if (VECTOR.lanes() == 1) {
            assertThat(sp).as("no whole-image layout without the Vector API").isNull();
            return;
        }
        if (d.outSize >= VECTOR.lanes()) {
            assertThat(sp).as("planes of a vector or more go plane by plane").isNull();
            return; // with 8 lanes (AVX2), 3x3 and 3x2 planes are not smaller than a vector
        }
        assertThat(sp).isNotNull();
        int xOff = 4;
        float[] x = FastConvTest.random(rnd, xOff + channels * h * w);
        x[xOff + h * w - 1] = Float.POSITIVE_INFINITY; // the last pixel of plane 0: plane 1 must not see it
        for (FusedActivation act : new FusedActivation[] {FusedActivation.none(),
                new FusedActivation(FusedActivation.Kind.CLIP, 0f, 6f),
                new FusedActivation(FusedActivation.Kind.SIGMOID, 0, 0)}) {
            Epilogue e = Epilogue.of(act);
            int yOff = 3;
            int outSize = channels * d.outSize;
            float[] want = new float[yOff + outSize + 5];
            float[] got = new float[yOff + outSize + 5];
            Arrays.fill(got, -7f);
            Arrays.fill(want, -7f);
            SCALAR.depthwiseImage(sp, x, xOff, e, new float[sp.scratchSize()], 0, want, yOff);
            float[] scratch = new float[2 + sp.scratchSize()];
            Arrays.fill(scratch, Float.NaN);
            Arrays.fill(scratch, 2, 2 + sp.scratchSize(), 0f);
            VECTOR.depthwiseImage(sp, x, xOff, e, scratch, 2, got, yOff);
            for (int i = 0; i < want.length; i++) {
                boolean same = Float.compare(got[i], want[i]) == 0
                        || Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i]));
                if (!same) {
                    fail("whole image " + channels + "x" + h + "x" + w + " stride " + stride + " act=" + act
                            + ": element " + (i - yOff) + " is " + got[i] + ", expected " + want[i]);
                }
            }
            for (int i = d.outSize; i < 2 * d.outSize; i++) {
                assertThat(got[yOff + i]).as("plane 1 output %d", i - d.outSize).isFinite();
            }
        }
    }

    /**
     * Stride 2 on rows of a vector or more reads x directly and drops the taps outside a window by
     * blends: an infinity at an even column, an odd column, a row's first and last columns and a
     * vector's edge reaches exactly the outputs whose window holds it, and the floats before the
     * plane (infinite here) are never read.
     */
    @org.junit.jupiter.api.Test
    void strideTwoRowsKeepAnInfinityInTheWindowsThatHoldIt() {
        int lanes = VECTOR.lanes();
        int w = 4 * Math.max(lanes, 8) + 4; // two whole output vectors and one overlapping the second
        keepsInfinitiesInTheirWindows(8, w, 2, new int[][] {{0, 0}, {1, 7}, {2, w - 1}, {3, 2 * lanes - 1},
            {4, 2 * lanes}, {5, 2 * lanes + 1}, {6, w - 2}, {7, 1}, {7, 2 * lanes + 6}});
    }

    /**
     * Stride 1 on rows of a vector or more computes two rows per pass, each row's vectors from its
     * first column, and drops the wrapping columns of a row's first and last vector by blends: an
     * infinity in either row of a pair, in the odd last row, at a row's first and last columns and at
     * a vector's edge reaches exactly the outputs whose window holds it.
     */
    @org.junit.jupiter.api.Test
    void strideOneRowPairsKeepAnInfinityInTheWindowsThatHoldIt() {
        int lanes = VECTOR.lanes();
        int w = 2 * lanes + 4; // one whole vector per row, one overlapping it
        keepsInfinitiesInTheirWindows(7, w, 1, new int[][] {{0, 0}, {1, w - 1}, {2, lanes - 1}, {3, lanes},
            {4, 0}, {5, w - 1}, {6, w - 2}, {6, 1}, {3, w - 1}, {2, 0}});
    }

    private static void keepsInfinitiesInTheirWindows(int h, int w, int stride, int[][] at) {
        Depthwise3x3 d = Depthwise3x3.of(geometry(h, w, stride));
        Random rnd = new Random(17);
        int xOff = 6;
        float[] x = FastConvTest.random(rnd, xOff + h * w);
        Arrays.fill(x, 0, xOff, Float.POSITIVE_INFINITY);
        for (int[] p : at) {
            x[xOff + p[0] * w + p[1]] = p[1] % 3 == 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        float[] wt = FastConvTest.random(rnd, 9);
        Epilogue e = Epilogue.of(FusedActivation.none());
        float[] want = paddedSum(x, xOff, h, w, stride, d.outH, d.outW, wt, 0, 0.25f);
        float[] got = new float[d.outSize];
        float[] scratch = new float[d.scratchSize()];
        VECTOR.depthwise3x3(d, x, xOff, wt, 0, 0.25f, e, scratch, 0, got, 0);
        int infinite = 0;
        for (int i = 0; i < want.length; i++) {
            boolean same = Float.compare(got[i], want[i]) == 0 || Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i]));
            if (!same) {
                fail("output (" + i / d.outW + ", " + i % d.outW + ") is " + got[i] + ", expected " + want[i]);
            }
            infinite += Float.isFinite(want[i]) ? 0 : 1;
        }
        assertThat(infinite).as("outputs whose window holds an infinity").isGreaterThan(at.length);
    }

    private static ConvGeometry geometry(int h, int w, int stride) {
        int outH = (h - 1) / stride + 1;
        int outW = (w - 1) / stride + 1;
        return new ConvGeometry(new int[] {h, w}, new int[] {3, 3}, new int[] {stride, stride}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {outH, outW});
    }

    /** The direct definition: the plane zero-padded by one on every side, 3x3 windows at the stride. */
    private static float[] paddedSum(float[] x, int xOff, int h, int w, int stride, int outH, int outW, float[] wt,
                                     int wOff, float bias) {
        float[] padded = new float[(h + 2) * (w + 2)];
        for (int r = 0; r < h; r++) {
            System.arraycopy(x, xOff + r * w, padded, (r + 1) * (w + 2) + 1, w);
        }
        float[] y = new float[outH * outW];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                double acc = bias;
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        acc += wt[wOff + ky * 3 + kx] * padded[(oy * stride + ky) * (w + 2) + ox * stride + kx];
                    }
                }
                y[oy * outW + ox] = (float) acc;
            }
        }
        return y;
    }
}
