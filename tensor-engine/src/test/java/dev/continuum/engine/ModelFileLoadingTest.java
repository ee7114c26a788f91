package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import dev.continuum.engine.onnx.StringStringEntryProto;
import dev.continuum.engine.onnx.TensorProto;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading from a file: the file is mapped and the weights are decoded straight from it (no copy of
 * its bytes on the heap), nothing of the mapping outlives the load, and weights kept as external
 * data beside the model load as inline ones do.
 */
class ModelFileLoadingTest {
    /** Floats of the large weight: 4 MiB, far above protobuf's and the loader's buffers. */
    private static final int N = 1 << 20;

    /** y = x * w, x and w of shape [1, n]. */
    private static ModelProto mul(TensorProto w, int n) {
        return OnnxModels.model(13, GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, n))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, n))
                .addInitializer(w)
                .addNode(OnnxModels.node("mul", "Mul", new String[] {"x", "w"}, new String[] {"y"})).build());
    }

    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 1000) * scale;
        }
        return v;
    }

    private static float[] run(Model model, int n) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        try (Session s = model.newSession()) {
            return s.run(Map.of("x", Tensor.ofFloats(new int[] {1, n}, ones))).get("y").floatData();
        }
    }

    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aFileOrItsBytesLoadWithOneHeapCopyOfTheWeights(@TempDir Path dir) throws IOException {
        byte[] bytes = mul(OnnxModels.floats("w", new long[] {1, N}, ramp(N, 0.5f)), N).toByteArray();
        Path file = dir.resolve("mul.onnx");
        Files.write(file, bytes);
        Model.load(file); // the loader's classes, so that only the load itself is counted below
        long weightBytes = 4L * N;

        // a stream parse holds the file's bytes, then each tensor's, then the floats: three copies
        long fromFile = allocatedBy(() -> Model.load(file));
        long fromBytes = allocatedBy(() -> Model.load(bytes));
        assertThat(fromFile).as("bytes allocated loading a model file with %d bytes of weights", weightBytes)
                .isLessThan(weightBytes + weightBytes / 4);
        assertThat(fromBytes).as("bytes allocated loading a model's bytes with %d bytes of weights", weightBytes)
                .isLessThan(weightBytes + weightBytes / 4);
    }

    @Test
    void aModelRunsTheWeightsItLoadedAfterItsFileIsRewrittenOrDeleted(@TempDir Path dir) throws IOException {
        float[] w = ramp(N, 0.25f);
        Path file = dir.resolve("mul.onnx");
        Files.write(file, mul(OnnxModels.floats("w", new long[] {1, N}, w), N).toByteArray());
        Model model = Model.load(file);
        assertThat(Arrays.equals(run(model, N), w)).isTrue();

        Files.write(file, mul(OnnxModels.floats("w", new long[] {1, N}, ramp(N, -3f)), N).toByteArray());
        assertThat(Arrays.equals(run(model, N), w)).isTrue();
        Files.write(file, new byte[16]); // shorter than the mapping was: a page read through it would fault
        assertThat(Arrays.equals(run(model, N), w)).isTrue();
        Files.delete(file);
        assertThat(Arrays.equals(run(model, N), w)).isTrue();
    }

    /**
     * A node keeps its attributes as long as the model lives: they must not be views of the bytes the
     * model was parsed from (a file's mapping, a caller's array), or those would stay mapped and a later
     * change of them would show.
     */
    @Test
    void attributesShareNoBytesWithWhatTheModelWasParsedFrom() {
        ModelProto m = OnnxModels.model(13, GraphProto.newBuilder()
                .addInput(OnnxModels.value("x", DataType.FLOAT, 1, 1, 4, 4))
                .addOutput(OnnxModels.value("y", DataType.FLOAT, 1, 1, 4, 4))
                .addInitializer(OnnxModels.floats("w", new long[] {1, 1, 3, 3}, ramp(9, 1f)))
                .addNode(OnnxModels.node("conv", "Conv", new String[] {"x", "w"}, new String[] {"y"},
                        dev.continuum.engine.onnx.AttributeProto.newBuilder().setName("auto_pad")
                                .setType(dev.continuum.engine.onnx.AttributeProto.AttributeType.STRING)
                                .setS(com.google.protobuf.ByteString.copyFromUtf8("SAME_UPPER")).build()))
                .build());
        byte[] bytes = m.toByteArray();
        var graph = new dev.continuum.engine.internal.ModelLoader(dev.continuum.engine.internal.ops.Ops.registry())
                .load(ByteBuffer.wrap(bytes), null);
        Arrays.fill(bytes, (byte) 'X');
        assertThat(graph.steps().get(0).node().attributes().getString("auto_pad", "")).isEqualTo("SAME_UPPER");
    }

    /** A check sees the file's bytes, read-only, before they are parsed, and may refuse them. */
    @Test
    void aCheckSeesTheBytesParsedAndMayRefuseThem(@TempDir Path dir) throws Exception {
        float[] w = ramp(N, 0.5f);
        byte[] bytes = mul(OnnxModels.floats("w", new long[] {1, N}, w), N).toByteArray();
        Path file = Files.write(dir.resolve("mul.onnx"), bytes);
        java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
        byte[] want = expected.digest(bytes);
        byte[][] seen = new byte[1][];
        Model model = Model.load(file, b -> {
            assertThat(b.isReadOnly()).isTrue();
            try {
                java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
                d.update(b);
                seen[0] = d.digest();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(seen[0]).isEqualTo(want);
        assertThat(Arrays.equals(run(model, N), w)).isTrue();

        IllegalStateException refusal = new IllegalStateException("digest does not match");
        assertThatThrownBy(() -> Model.load(file, b -> {
            throw refusal;
        })).isSameAs(refusal);
    }

    /**
     * A file cut short while it loads (after it was mapped, before its weights are read) is refused by
     * name: the read of a page past its new end faults, and that fault is not a JVM error to the caller.
     */
    @Test
    void aFileTruncatedWhileItLoadsIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("shrinking.onnx"),
                mul(OnnxModels.floats("w", new long[] {1, N}, ramp(N, 1f)), N).toByteArray());
        assertThatThrownBy(() -> Model.load(file, bytes -> {
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(4096);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).isInstanceOf(ModelFormatException.class).hasMessageContaining("shrinking.onnx");
    }

    @Test
    void aTruncatedFileIsRefusedAsNotAnOnnxModel(@TempDir Path dir) throws IOException {
        byte[] full = mul(OnnxModels.floats("w", new long[] {1, 4}, 1, 2, 3, 4), 4).toByteArray();
        Path file = dir.resolve("cut.onnx");
        Files.write(file, Arrays.copyOf(full, full.length - 9));
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a valid ONNX model");
    }

    @Test
    void anEmptyFileOrADirectoryIsRefusedByName(@TempDir Path dir) throws IOException {
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> Model.load(empty)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a valid ONNX model");
        Path folder = Files.createDirectory(dir.resolve("folder.onnx"));
        assertThatThrownBy(() -> Model.load(folder)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("folder.onnx");
    }

    /** A pipe has no size to map: it is read as a stream (as {@code --model /dev/stdin} would be). */
    @Test
    void aNamedPipeLoadsAsAStream(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("model.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo here: " + e.getMessage());
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        float[] w = ramp(64, 2f);
        byte[] bytes = mul(OnnxModels.floats("w", new long[] {1, 64}, w), 64).toByteArray();
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        Model model = Model.load(fifo);
        writer.join();
        assertThat(Arrays.equals(run(model, 64), w)).isTrue();
    }

    /** An initializer of n floats whose data is in {@code location} at offset, as ONNX's external data. */
    private static TensorProto external(String location, long offset, int n) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT.onnxCode())
                .addDims(1).addDims(n).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(4L * n)));
        return t.build();
    }

    private static byte[] littleEndian(int padding, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(padding + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.position(padding);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    @Test
    void externalDataLoadsAsInlineDataWhetherReadOrMapped(@TempDir Path dir) throws IOException {
        // 4 floats are read into the heap; 32 Ki floats (128 KiB) are mapped
        for (int n : new int[] {4, 1 << 15}) {
            float[] w = ramp(n, 0.75f);
            Files.write(dir.resolve("weights.bin"), littleEndian(12, w));
            Path file = dir.resolve("ext.onnx");
            Files.write(file, mul(external("weights.bin", 12, n), n).toByteArray());
            Model model = Model.load(file);
            Files.delete(dir.resolve("weights.bin"));
            assertThat(Arrays.equals(run(model, n), w)).as("%d floats", n).isTrue();
        }
    }

    @Test
    void externalDataThatIsShortMissingOrOutsideTheModelsDirectoryIsNamed(@TempDir Path dir) throws IOException {
        int n = 1 << 15;
        Files.write(dir.resolve("short.bin"), littleEndian(0, new float[n - 1]));
        Path file = dir.resolve("ext.onnx");
        Files.write(file, mul(external("short.bin", 0, n), n).toByteArray());
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'short.bin' is truncated");

        Files.write(file, mul(external("absent.bin", 0, n), n).toByteArray());
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cannot read external data 'absent.bin'");

        Files.write(file, mul(external("../outside.bin", 0, n), n).toByteArray());
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'../outside.bin' leaves the model directory");

        byte[] bytes = mul(external("short.bin", 0, n), n).toByteArray();
        assertThatThrownBy(() -> Model.load(bytes)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("needs the model's directory");
    }
}
