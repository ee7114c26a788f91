package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadingTest {

    @Test
    void loadsAModelAndRunsItWithNamedInputs() {
        Model model = Model.load(OnnxModels.addRelu().toByteArray());
        assertThat(model.inputs()).extracting(TensorInfo::name).containsExactly("x");
        assertThat(model.inputs().get(0).shapeString()).isEqualTo("[N,4]");
        assertThat(model.opset()).isEqualTo(13);
        assertThat(model.parameterCount()).isEqualTo(4);
        assertThat(model.opTypes()).containsExactly("Add", "Relu");
        try (Session s = model.newSession()) {
            Map<String, Tensor> out = s.run(Map.of("x", Tensor.ofFloats(new int[] {2, 4}, 0, 0, 0, 0, -3, 3, 1, 1)));
            assertThat(out.get("y").floatData()).containsExactly(1f, 0f, 0.5f, 0f, 0f, 1f, 1.5f, 1f);
            assertThat(out.get("y").shape()).containsExactly(2, 4);
        }
    }

    @Test
    void shapeInferenceKnowsIntermediateShapesBeforeARun() {
        Model model = Model.load(OnnxModels.addRelu().toByteArray());
        assertThat(model.valueInfo("sum").shape()).containsExactly(-1, 4);
        assertThat(model.valueInfo("sum").dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void aSessionMayRunFromSeveralThreadsAtOnce() throws Exception {
        Model model = Model.load(OnnxModels.addRelu().toByteArray());
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        try (Session s = model.newSession(SessionOptions.defaults().withThreads(2))) {
            for (int t = 0; t < threads.length; t++) {
                final int id = t;
                threads[t] = new Thread(() -> {
                    boolean good = true;
                    for (int i = 0; i < 200; i++) {
                        float v = id * 1000 + i;
                        Tensor y = s.run(Map.of("x", Tensor.ofFloats(new int[] {1, 4}, v, v, v, v))).get("y");
                        good &= Arrays.equals(y.floatData(), new float[] {v + 1, Math.max(0, v - 2), v + 0.5f, v});
                    }
                    ok[id] = good;
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(ok).containsOnly(true);
    }

    /**
     * The arrays a session keeps for each thread's next run are let go when it closes, though the threads
     * that ran it live on (their thread-local maps would keep them until some later cleanup).
     */
    @Test
    void closingASessionLetsGoOfTheArraysEveryThreadKeptForItsNextRun() throws Exception {
        Path dir = Path.of("src/test/resources/models/resnet_small");
        Model model = Model.load(dir.resolve("model.onnx"));
        Map<String, Tensor> in = Map.of(model.inputs().get(0).name(),
                dev.continuum.engine.internal.TensorProtos.readFile(dir.resolve("test_data_set_0/input_0.pb")).tensor());
        Session s = model.newSession(SessionOptions.defaults().withThreads(2));
        s.run(in);
        long one = s.heldBytes();
        assertThat(one).as("bytes kept after a run on one thread").isPositive();
        Thread other = new Thread(() -> s.run(in));
        other.start();
        other.join();
        assertThat(s.heldBytes()).as("after a run on a second thread").isGreaterThanOrEqualTo(2 * one);
        s.close();
        assertThat(s.heldBytes()).isZero();
    }

    @Test
    void randomBytesAreRefusedAsNotAnOnnxModel() {
        byte[] junk = new byte[256];
        new java.util.Random(7).nextBytes(junk);
        assertThatThrownBy(() -> Model.load(junk)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a valid ONNX model");
    }

    @Test
    void aTruncatedFileIsRefusedAsNotAnOnnxModel() {
        byte[] full = OnnxModels.addRelu().toByteArray();
        byte[] truncated = Arrays.copyOf(full, full.length - 20);
        assertThatThrownBy(() -> Model.load(truncated)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a valid ONNX model");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.onnx");
        assertThatThrownBy(() -> Model.load(missing)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("nope.onnx");
    }

    @Test
    void anUnsupportedOperatorNamesTheNodeTheOpAndTheOpset() {
        ModelProto m = OnnxModels.model(13, GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 2))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 2))
                .addNode(OnnxModels.node("fancy_1", "NotAnOp", new String[] {"x"}, new String[] {"y"})).build());
        assertThatThrownBy(() -> Model.load(m.toByteArray()))
                .isInstanceOfSatisfying(UnsupportedOperatorException.class, e -> {
                    assertThat(e.nodeName()).isEqualTo("fancy_1");
                    assertThat(e.opType()).isEqualTo("NotAnOp");
                    assertThat(e.opset()).isEqualTo(13);
                })
                .hasMessage("node 'fancy_1' (NotAnOp, opset 13): operator is not supported by the engine");
    }

    @Test
    void anOpsetNewerThanSupportedIsRefused() {
        ModelProto m = OnnxModels.addRelu().toBuilder().setOpsetImport(0,
                dev.continuum.engine.onnx.OperatorSetIdProto.newBuilder().setVersion(99)).build();
        assertThatThrownBy(() -> Model.load(m.toByteArray())).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("opset 99");
    }

    @Test
    void anInputNoNodeProducesIsNamed() {
        ModelProto m = OnnxModels.model(13, GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 2))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 2))
                .addNode(OnnxModels.node("add", "Add", new String[] {"x", "ghost"}, new String[] {"y"})).build());
        assertThatThrownBy(() -> Model.load(m.toByteArray())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("input 'ghost'").hasMessageContaining("node 'add'");
    }

    @Test
    void aMissingInputIsNamedWithItsExpectedTypeAndShape() {
        try (Session s = Model.load(OnnxModels.addRelu().toByteArray()).newSession()) {
            assertThatThrownBy(() -> s.run(Map.of())).isInstanceOf(InvalidInputException.class)
                    .hasMessage("missing input 'x' (expected float32[N,4])");
        }
    }

    @Test
    void aMisShapedInputIsNamedWithTheExpectedShape() {
        try (Session s = Model.load(OnnxModels.addRelu().toByteArray()).newSession()) {
            assertThatThrownBy(() -> s.run(Map.of("x", Tensor.ofFloats(new int[] {4}, 1, 2, 3, 4))))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.inputName()).isEqualTo("x"))
                    .hasMessage("input 'x' has shape [4], expected float32[N,4]");
        }
    }

    @Test
    void aWronglyTypedInputIsNamedWithTheExpectedType() {
        try (Session s = Model.load(OnnxModels.addRelu().toByteArray()).newSession()) {
            assertThatThrownBy(() -> s.run(Map.of("x", Tensor.ofLongs(new int[] {1, 4}, 1, 2, 3, 4))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("input 'x' has type int64, expected float32[N,4]");
        }
    }

    @Test
    void anUnknownInputIsRefused() {
        try (Session s = Model.load(OnnxModels.addRelu().toByteArray()).newSession()) {
            assertThatThrownBy(() -> s.run(Map.of("x", Tensor.ofFloats(new int[] {1, 4}, 1, 2, 3, 4),
                    "z", Tensor.ofFloats(new int[] {1}, 1)))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("unknown input 'z'");
        }
    }

    @Test
    void inspectReadsTheSignatureOfAModelWithoutItsLargeWeights(@TempDir Path dir) throws IOException {
        int n = 1 << 20; // a 4 MiB weight: above the 64 KiB that inspect keeps
        float[] w = new float[n];
        ModelProto m = OnnxModels.model(13, GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, n))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, n))
                .addInitializer(OnnxModels.floats("w", new long[] {n}, w))
                .addNode(OnnxModels.node("mul", "Mul", new String[] {"x", "w"}, new String[] {"y"})).build());
        Path file = dir.resolve("big.onnx");
        Files.write(file, m.toByteArray());
        ModelSummary s = Model.inspect(file);
        assertThat(s.parameterCount()).isEqualTo(n);
        assertThat(s.opTypes()).containsExactly("Mul");
        assertThat(s.flops()).isEqualTo(n);
        assertThat(s.outputs().get(0).shape()).containsExactly(1, n);
    }

    @Test
    void inspectRefusesWhatLoadRefuses(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.onnx");
        Files.write(file, new byte[] {0x0a, 0x7f, 0x01});
        assertThatThrownBy(() -> Model.inspect(file)).isInstanceOf(ModelFormatException.class);
    }
}
