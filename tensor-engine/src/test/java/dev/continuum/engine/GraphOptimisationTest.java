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
}
