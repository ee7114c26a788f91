package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.internal.TensorProtos;
import dev.continuum.engine.internal.ops.ExecContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A multi-threaded session chooses its split threshold by timing its own runs; every threshold it
 * tries must give the 1-thread session's outputs.
 */
class SessionSplitTuningTest {
    private static final Path MODEL = OnnxNodeConformanceTest.resource("models/resnet_small");

    /** resnet_small, its fixture's input, and its output name. */
    private record Fixture(Model model, Map<String, Tensor> inputs, String output) {
        static Fixture load() {
            Model model = Model.load(MODEL.resolve("model.onnx"));
            Tensor input = TensorProtos.readFile(MODEL.resolve("test_data_set_0/input_0.pb")).tensor();
            return new Fixture(model, Map.of(model.inputs().get(0).name(), input), model.outputs().get(0).name());
        }

        /** The output of a 1-thread session, which neither tunes nor pairs steps. */
        float[] oneThread() {
            try (Session one = model.newSession()) {
                assertThat(one.splitThresholdSettled()).isTrue();
                assertThat(one.splitThreshold()).isEqualTo(ExecContext.MIN_TASK_WORK);
                assertThat(one.pairedSteps()).isZero();
                return one.run(inputs).get(output).floatData();
            }
        }
    }

    @Test
    void aTwoThreadSessionSettlesItsSplitThresholdAndKeepsItsOutputs() throws Exception {
        Fixture f = Fixture.load();
        Model model = f.model();
        Map<String, Tensor> inputs = f.inputs();
        String output = f.output();
        float[] want = f.oneThread();
        try (Session two = model.newSession(SessionOptions.defaults().withThreads(2))) {
            assertThat(two.splitThresholdSettled()).isFalse();
            assertThat(two.splitThreshold()).isEqualTo(ExecContext.MIN_TASK_WORK);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            int runs = 0;
            while (!two.splitThresholdSettled() && System.nanoTime() < deadline) {
                float[] got = two.run(inputs).get(output).floatData();
                assertThat(got).as("run %d", runs).containsExactly(want, org.assertj.core.data.Offset.offset(1e-5f));
                runs++;
            }
            assertThat(two.splitThresholdSettled()).as("settled after %d runs", runs).isTrue();
            assertThat(two.splitThreshold()).isIn(1L << 15, 1L << 17, 1L << 19, 1L << 21);
            assertThat(two.run(inputs).get(output).floatData()).containsExactly(want,
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    /**
     * resnet_small's downsampling blocks each start with two independent convolutions (the 3x3/2 one
     * and the 1x1/2 one), which a 2-thread session runs side by side; a 1-thread session runs none so.
     * The pairs run in every run of the test above; here their outputs over many runs, each pair's
     * second step on the worker and its arrays from the second arena, must stay the 1-thread ones.
     */
    @Test
    void aTwoThreadSessionRunsTheIndependentConvolutionsOfABlockSideBySide() throws Exception {
        Fixture f = Fixture.load();
        float[] want = f.oneThread();
        try (Session two = f.model().newSession(SessionOptions.defaults().withThreads(2))) {
            assertThat(two.pairedSteps()).isEqualTo(3);
            for (int run = 0; run < 300; run++) {
                assertThat(two.run(f.inputs()).get(f.output()).floatData()).as("run %d", run)
                        .containsExactly(want, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void aBadThresholdPropertyIsRefusedWhenASessionIsOpenedNamingIt() throws Exception {
        // the property is read once per JVM, so the bad value goes to a JVM of its own
        for (String bad : new String[] {"abc", "0"}) {
            assertThat(openSessionWith(bad)).as("'%s'", bad)
                    .startsWith("refused: system property continuum.engine.min-task-work must be a whole number")
                    .contains("'" + bad + "'");
        }
        assertThat(openSessionWith("65536")).isEqualTo("opened");
    }

    /** What {@link BadThresholdPropertyMain} prints in a JVM with the property set to value. */
    private static String openSessionWith(String value) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-modules") || a.startsWith("-Dcontinuum.engine.simd")).toList());
        command.add("-Dcontinuum.engine.min-task-work=" + value);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BadThresholdPropertyMain.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return out.lines().filter(l -> l.startsWith("refused") || l.startsWith("opened")).findFirst().orElse(out);
    }
}
