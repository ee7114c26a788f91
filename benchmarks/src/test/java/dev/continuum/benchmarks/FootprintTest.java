package dev.continuum.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.TensorProtos;
import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import dev.continuum.engine.onnx.NodeProto;
import dev.continuum.engine.onnx.OperatorSetIdProto;
import dev.continuum.engine.onnx.TensorShapeProto;
import dev.continuum.engine.onnx.TypeProto;
import dev.continuum.engine.onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code Footprint} refuses, and what one of its child JVMs reports (run in this JVM). */
class FootprintTest {
    private static final Path RESNET_SMALL = Path.of("../tensor-engine/src/test/resources/models/resnet_small");

    @Test
    void refusesAnUnknownOptionAndADirectoryWithoutModels(@TempDir Path empty) {
        assertThatThrownBy(() -> Footprint.main(new String[] {"--runs", RESNET_SMALL.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --runs");
        assertThatThrownBy(() -> Footprint.main(new String[] {empty.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model directories");
    }

    /** y = x * w with w of n floats, and one test input, in dir. */
    private static Path mulModel(Path dir, int n) throws IOException {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n));
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(DataType.FLOAT.onnxCode()).setShape(shape)).build();
        float[] w = new float[n];
        Arrays.fill(w, 0.5f);
        GraphProto g = GraphProto.newBuilder().setName("mul")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type))
                .addInitializer(TensorProtos.toProto("w", Tensor.ofFloats(new int[] {1, n}, w)))
                .addNode(NodeProto.newBuilder().setOpType("Mul").addInput("x").addInput("w").addOutput("y"))
                .build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
        Files.write(dir.resolve("model.onnx"), m.toByteArray());
        Files.createDirectories(dir.resolve("test_data_set_0"));
        Files.write(dir.resolve("test_data_set_0/input_0.pb"),
                TensorProtos.toProto("x", Tensor.ofFloats(new int[] {1, n}, new float[n])).toByteArray());
        return dir;
    }

    @Test
    void theEngineChildReportsTheWeightsAndTheHeapTheyHold(@TempDir Path dir) throws Exception {
        // 16 MB of weights, far above the figure's few MB of noise
        String[] r = Footprint.child("engine", mulModel(dir, 1 << 22)).split(" ");
        assertThat(r).hasSize(2);
        assertThat(Double.parseDouble(r[0])).isEqualTo(16.8, within(0.1));
        assertThat(Double.parseDouble(r[1])).as("retained heap MB").isBetween(12.0, 60.0);
    }

    @Test
    void theOrtChildReportsOnlyItsResidentGrowth() throws Exception {
        String[] r = Footprint.child("ort", RESNET_SMALL).split(" ");
        assertThat(r).hasSize(2);
        assertThat(r[0]).isEqualTo("-");
        assertThat(Double.parseDouble(r[1])).as("resident growth MB of a session and a run").isPositive();
    }

    @Test
    void anUnknownChildModeIsRefused() {
        assertThatThrownBy(() -> Footprint.child("tflite", RESNET_SMALL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown child mode tflite");
    }
}
