package dev.continuum.benchmarks;

import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One inference of a model fixture, batch 1. With {@code -prof gc}, {@code gc.alloc.rate.norm} is
 * the bytes a steady-state run allocates (outputs included). Run from the repository root:
 * {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar InferenceBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class InferenceBenchmark {
    @Param({"lenet", "resnet_small", "mobilenet_small", "attention", "transformer_encoder", "lstm_classifier",
            "gru_classifier", "rnn_classifier"})
    public String model;

    @Param({"1"})
    public int threads;

    /** Where the fixtures are; override with -p root=... */
    @Param({"tensor-engine/src/test/resources/models"})
    public String root;

    private Session session;
    private Map<String, Tensor> inputs;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path dir = Path.of(root, model);
        Model model = Model.load(dir.resolve("model.onnx"));
        session = model.newSession(new SessionOptions(threads));
        inputs = ModelComparison.readInputs(model, dir);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public Map<String, Tensor> infer() {
        return session.run(inputs);
    }
}
