package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.onnx.AttributeProto;
import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Load-time rewrites change how many nodes run, never what the model computes. */
class GraphOptimisationTest {

    /** y = act(Gemm(x, w)), with w = [[1, -1], [2, -3]] and x = [[1, 1]] -> Gemm gives [3, -4]. */
    private static ModelProto gemmThen(String act, AttributeProto... attrs) {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, 2))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, 2))
                .addInitializer(OnnxModels.floats("w", new long[] {2, 2}, 1f, -1f, 2f, -3f))
                .addNode(OnnxModels.node("fc", "Gemm", new String[] {"x", "w"}, new String[] {"h"}))
                .addNode(OnnxModels.node("act", act, new String[] {"h"}, new String[] {"y"}, attrs));
        return OnnxModels.model(13, g.build());
    }

    private static float[] run(Model m) {
        try (Session s = m.newSession()) {
            return s.run(Map.of("x", Tensor.ofFloats(new int[] {1, 2}, 1f, 1f))).get("y").floatData();
        }
    }

    @Test
    void reluAfterGemmIsFoldedIntoTheGemm() {
        Model m = Model.load(gemmThen("Relu").toByteArray());
        assertThat(m.executedNodeCount()).isEqualTo(1);
        assertThat(run(m)).containsExactly(3f, 0f);
    }

    @Test
    void leakyReluKeepsItsAlphaWhenFolded() {
        AttributeProto alpha = AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                .setF(0.5f).build();
        Model m = Model.load(gemmThen("LeakyRelu", alpha).toByteArray());
        assertThat(m.executedNodeCount()).isEqualTo(1);
        assertThat(run(m)).containsExactly(3f, -2f);
    }

    @Test
    void anActivationWhoseInputIsAlsoAGraphOutputIsNotFolded() {
        ModelProto base = gemmThen("Relu");
        ModelProto m = base.toBuilder().setGraph(base.getGraph().toBuilder()
                .addOutput(OnnxModels.value("h", DataType.FLOAT, 1, 2))).build();
        Model model = Model.load(m.toByteArray());
        assertThat(model.executedNodeCount()).isEqualTo(2);
        try (Session s = model.newSession()) {
            Map<String, Tensor> out = s.run(Map.of("x", Tensor.ofFloats(new int[] {1, 2}, 1f, 1f)));
            assertThat(out.get("h").floatData()).containsExactly(3f, -4f);
            assertThat(out.get("y").floatData()).containsExactly(3f, 0f);
        }
    }

    @Test
    void shapeOfAStaticallyShapedValueIsAConstant() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 2, 3))
                .addOutput(OnnxModels.value("s", DataType.INT64, 2))
                .addNode(OnnxModels.node("relu", "Relu", new String[] {"x"}, new String[] {"r"}))
                .addNode(OnnxModels.node("shape", "Shape", new String[] {"r"}, new String[] {"s"})).build();
        Model m = Model.load(OnnxModels.model(13, g).toByteArray());
        assertThat(m.executedNodeCount()).isZero();
        try (Session s = m.newSession()) {
            assertThat(s.run(Map.of("x", Tensor.zeros(DataType.FLOAT, 2, 3))).get("s").longData()).containsExactly(2, 3);
        }
    }

    /**
     * y = act(Conv(x, w, b) + r): x (1, 4, 6, 6), w (8, 4, 3, 3) with pads 1, r of {@code rDims}; with
     * {@code convIsOutput} the convolution's output is also a graph output.
     */
    private static ModelProto convAddThen(String act, long[] rDims, boolean convIsOutput) {
        java.util.Random rnd = new java.util.Random(5);
        float[] w = new float[8 * 4 * 9];
        float[] b = new float[8];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.3f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        AttributeProto pads = AttributeProto.newBuilder().setName("pads").setType(AttributeProto.AttributeType.INTS)
                .addAllInts(java.util.List.of(1L, 1L, 1L, 1L)).build();
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, 4, 6, 6))
                .addInput(OnnxModels.value("r", DataType.FLOAT, rDims))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, 8, 6, 6))
                .addInitializer(OnnxModels.floats("w", new long[] {8, 4, 3, 3}, w))
                .addInitializer(OnnxModels.floats("b", new long[] {8}, b))
                .addNode(OnnxModels.node("conv", "Conv", new String[] {"x", "w", "b"}, new String[] {"h"}, pads))
                .addNode(OnnxModels.node("add", "Add", new String[] {"r", "h"}, new String[] {act.isEmpty() ? "y" : "s"}));
        if (!act.isEmpty()) {
            g.addNode(OnnxModels.node("act", act, new String[] {"s"}, new String[] {"y"}));
        }
        if (convIsOutput) {
            g.addOutput(OnnxModels.value("h", DataType.FLOAT, 1, 8, 6, 6));
        }
        return OnnxModels.model(13, g.build());
    }

    private static float[] runConv(Model m, long[] rDims) {
        java.util.Random rnd = new java.util.Random(9);
        float[] x = new float[144];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] rShape = java.util.Arrays.stream(rDims).mapToInt(d -> (int) d).toArray();
        float[] r = new float[java.util.Arrays.stream(rShape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
        }
        try (Session s = m.newSession(new SessionOptions(2))) {
            return s.run(Map.of("x", Tensor.ofFloats(new int[] {1, 4, 6, 6}, x), "r", Tensor.ofFloats(rShape, r)))
                    .get("y").floatData();
        }
    }

    @Test
    void aResidualAddAndItsReluAreFoldedIntoTheConvolution() {
        long[] same = {1, 8, 6, 6};
        for (String act : new String[] {"Relu", "Sigmoid", ""}) {
            Model fused = Model.load(convAddThen(act, same, false).toByteArray());
            Model unfused = Model.load(convAddThen(act, same, true).toByteArray());
            assertThat(fused.executedNodeCount()).as(act).isEqualTo(1);
            assertThat(unfused.executedNodeCount()).as(act).isEqualTo(act.isEmpty() ? 2 : 3);
            float[] want = runConv(unfused, same);
            assertThat(runConv(fused, same)).as(act).containsExactly(want,
                    org.assertj.core.data.Offset.offset(1e-6f));
            if (act.equals("Relu")) {
                assertThat(want).contains(0f);
                assertThat(java.util.stream.IntStream.range(0, want.length).anyMatch(i -> want[i] > 0f)).isTrue();
            }
        }
    }

    @Test
    void anAddThatBroadcastsIsNotFoldedIntoTheConvolution() {
        long[] perChannel = {1, 8, 1, 1};
        Model m = Model.load(convAddThen("Relu", perChannel, false).toByteArray());
        assertThat(m.executedNodeCount()).isEqualTo(3);
        Model reference = Model.load(convAddThen("Relu", perChannel, true).toByteArray());
        assertThat(runConv(m, perChannel)).containsExactly(runConv(reference, perChannel));
    }

    /** y = Conv(x, w, b) (8 of 4 channels, 3x3, pads 1) with x of unknown channels and size; w an input or not. */
    private static ModelProto convOfAnySize(boolean weightsAsInput, float[] w) {
        AttributeProto pads = AttributeProto.newBuilder().setName("pads").setType(AttributeProto.AttributeType.INTS)
                .addAllInts(java.util.List.of(1L, 1L, 1L, 1L)).build();
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, -1, -1, -1))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, 8, -1, -1))
                .addInitializer(OnnxModels.floats("b", new long[] {8}, 1, 2, 3, 4, 5, 6, 7, 8))
                .addNode(OnnxModels.node("conv", "Conv", new String[] {"x", "w", "b"}, new String[] {"y"}, pads));
        if (weightsAsInput) {
            g.addInput(OnnxModels.value("w", DataType.FLOAT, 8, 4, 3, 3));
        } else {
            g.addInitializer(OnnxModels.floats("w", new long[] {8, 4, 3, 3}, w));
        }
        return OnnxModels.model(13, g.build());
    }

    private static java.util.Set<String> keptConstantShapes(ModelProto m) {
        var graph = new dev.continuum.engine.internal.ModelLoader(dev.continuum.engine.internal.ops.Ops.registry())
                .load(java.nio.ByteBuffer.wrap(m.toByteArray()), null);
        java.util.Set<String> shapes = new java.util.TreeSet<>();
        for (Tensor t : graph.constantValues()) {
            shapes.add(java.util.Arrays.toString(t.dims()));
        }
        return shapes;
    }

    @Test
    void weightsHeldPackedAreNotKeptByTheGraphAsWell() {
        assertThat(keptConstantShapes(gemmThen("Relu"))).doesNotContain("[2, 2]");
        assertThat(keptConstantShapes(convAddThen("Relu", new long[] {1, 8, 6, 6}, false)))
                .doesNotContain("[8, 4, 3, 3]").contains("[8]");
        assertThat(keptConstantShapes(convOfAnySize(false, new float[288]))).doesNotContain("[8, 4, 3, 3]");
    }

    /**
     * A convolution whose input size is unknown at load packs one layout and keeps no W: inputs of other
     * sizes pack theirs from it, and compute what the same convolution with W as an input does; an input
     * of the wrong channel count is named.
     */
    @Test
    void aConvolutionWithoutItsWeightsRunsEveryInputSizeAndNamesAWrongOne() {
        java.util.Random rnd = new java.util.Random(17);
        float[] w = new float[8 * 4 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        Model packed = Model.load(convOfAnySize(false, w).toByteArray());
        Model plain = Model.load(convOfAnySize(true, w).toByteArray());
        for (int threads : new int[] {1, 2}) {
            try (Session p = packed.newSession(new SessionOptions(threads));
                 Session q = plain.newSession(new SessionOptions(threads))) {
                for (int size : new int[] {6, 3, 30, 6}) {
                    float[] x = new float[4 * size * size];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian();
                    }
                    Tensor in = Tensor.ofFloats(new int[] {1, 4, size, size}, x);
                    float[] got = p.run(Map.of("x", in)).get("y").floatData();
                    float[] want = q.run(Map.of("x", in, "w", Tensor.ofFloats(new int[] {8, 4, 3, 3}, w))).get("y")
                            .floatData();
                    assertThat(got).as("%d x %d at %d threads", size, size, threads)
                            .containsExactly(want, org.assertj.core.data.Offset.offset(1e-4f));
                }
                Tensor five = Tensor.ofFloats(new int[] {1, 5, 6, 6}, new float[180]);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.run(Map.of("x", five)))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("node 'conv' (Conv, opset 13): input W [8,4,3,3] must have C/group = 5");
            }
        }
    }

    /** y = Conv(Conv(x, w), w): one weight read by two convolutions (w an input or not). */
    private static ModelProto twoConvsSharingWeights(boolean weightsAsInput, float[] w) {
        AttributeProto pads = AttributeProto.newBuilder().setName("pads").setType(AttributeProto.AttributeType.INTS)
                .addAllInts(java.util.List.of(1L, 1L, 1L, 1L)).build();
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, 4, 6, 6))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, 4, 6, 6))
                .addNode(OnnxModels.node("first", "Conv", new String[] {"x", "w"}, new String[] {"h"}, pads))
                .addNode(OnnxModels.node("second", "Conv", new String[] {"h", "w"}, new String[] {"y"}, pads));
        if (weightsAsInput) {
            g.addInput(OnnxModels.value("w", DataType.FLOAT, 4, 4, 3, 3));
        } else {
            g.addInitializer(OnnxModels.floats("w", new long[] {4, 4, 3, 3}, w));
        }
        return OnnxModels.model(13, g.build());
    }

    /** The planner lets go of a packed weight after its last reader, not its first. */
    @Test
    void aWeightTwoConvolutionsReadIsKeptUntilBothHavePackedIt() {
        java.util.Random rnd = new java.util.Random(23);
        float[] w = new float[4 * 4 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.3f;
        }
        float[] x = new float[4 * 36];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Tensor in = Tensor.ofFloats(new int[] {1, 4, 6, 6}, x);
        ModelProto shared = twoConvsSharingWeights(false, w);
        assertThat(keptConstantShapes(shared)).doesNotContain("[4, 4, 3, 3]");
        try (Session p = Model.load(shared.toByteArray()).newSession();
             Session q = Model.load(twoConvsSharingWeights(true, w).toByteArray()).newSession()) {
            assertThat(p.run(Map.of("x", in)).get("y").floatData()).containsExactly(
                    q.run(Map.of("x", in, "w", Tensor.ofFloats(new int[] {4, 4, 3, 3}, w))).get("y").floatData(),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
