package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.internal.TensorProtos;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Once its kernels are compiled, a run of a model fixture allocates its output tensors and a little
 * bookkeeping per step, no intermediate values: the arena recycles every intermediate array, and
 * the vector loops must not build masks or vectors on the heap. Counted with the thread's allocated
 * bytes (not a timing): the runs go on in windows until a window's average is within the bound or a
 * deadline passes, as the first runs are interpreted and allocate every vector they touch.
 */
class SteadyStateAllocationTest {
    /**
     * Bytes per run allowed besides the outputs' arrays: the run's result map and context, and per
     * executed step its result tensor, that tensor's shape and array of results, and small plan
     * arrays of the shape-moving steps (Transpose, Slice). Measured: 146-366 bytes per step
     * (mobilenet_small 8.0 KB over 55 steps, transformer_encoder 16.5 KB over 68).
     */
    private static final long PER_RUN = 2 * 1024;
    private static final long PER_STEP = 384;
    private static final int WINDOW = 200;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> dirs = Files.list(OnnxNodeConformanceTest.resource("models"))) {
            return dirs.filter(d -> Files.exists(d.resolve("model.onnx")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aWarmRunAllocatesItsOutputsAndLittleElse(String fixture) {
        Path dir = OnnxNodeConformanceTest.resource("models/" + fixture);
        Model model = Model.load(dir.resolve("model.onnx"));
        Map<String, Tensor> inputs = new HashMap<>();
        List<TensorInfo> declared = model.inputs();
        for (int i = 0; i < declared.size(); i++) {
            inputs.put(declared.get(i).name(),
                    TensorProtos.readFile(dir.resolve("test_data_set_0/input_" + i + ".pb")).tensor());
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (Session session = model.newSession()) {
            long outputBytes = 0;
            for (Tensor t : session.run(inputs).values()) {
                outputBytes += (long) t.size() * t.dataType().byteSize();
            }
            long bound = outputBytes + PER_RUN + PER_STEP * model.executedNodeCount();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long perRun;
            int windows = 0;
            do {
                long before = threads.getThreadAllocatedBytes(thread);
                for (int run = 0; run < WINDOW; run++) {
                    session.run(inputs);
                }
                perRun = (threads.getThreadAllocatedBytes(thread) - before) / WINDOW;
                windows++;
            } while (perRun > bound && System.nanoTime() < deadline);
            assertThat(perRun).as("%s: bytes allocated per run after %d windows of %d runs (outputs %d B, %d steps)",
                    fixture, windows, WINDOW, outputBytes, model.executedNodeCount()).isLessThanOrEqualTo(bound);
        }
    }
}
