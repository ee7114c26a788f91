package dev.continuum.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.TensorProtos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's command line: output lines, exit codes and errors that name the bad input. */
class EngineCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EngineCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path lenet() throws URISyntaxException {
        return Path.of(EngineCliTest.class.getClassLoader().getResource("models/lenet").toURI());
    }

    @Test
    void checkPrintsOneLinePerTestAndTheSummaryAndExitsZero() throws Exception {
        assertThat(run("check", lenet().toString())).isZero();
        assertThat(out.toString()).isEqualTo("PASS lenet\n1 passed, 0 failed, 0 skipped\n");
    }

    @Test
    void checkFailsWithTheMismatchWhenAReferenceOutputIsWrong(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("lenet");
        try (Stream<Path> files = Files.walk(lenet())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(lenet().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path output = copy.resolve("test_data_set_0/output_0.pb");
        TensorProtos.Named reference = TensorProtos.readFile(output);
        float[] wrong = reference.tensor().floatData().clone();
        wrong[3] += 1f;
        Files.write(output, TensorProtos.toProto(reference.name(),
                Tensor.of(DataType.FLOAT, reference.tensor().shape(), wrong)).toByteArray());

        assertThat(run("check", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL lenet: output 'output': 1 of 10 elements differ, max abs error")
                .contains("at [0,3]").endsWith("0 passed, 1 failed, 0 skipped\n");
    }

    @Test
    void runWritesOutputFilesThatMatchTheReference(@TempDir Path dir) throws Exception {
        Path model = lenet().resolve("model.onnx");
        Path input = lenet().resolve("test_data_set_0/input_0.pb");
        assertThat(run("run", "--model", model.toString(), "--input", input.toString(), "--output-dir",
                dir.toString())).isZero();
        Tensor got = TensorProtos.readFile(dir.resolve("output_0.pb")).tensor();
        Tensor want = TensorProtos.readFile(lenet().resolve("test_data_set_0/output_0.pb")).tensor();
        assertThat(new BackendTestRunner().compare("output", got, want)).isNull();
    }

    @Test
    void aMissingInputFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.pb");
        assertThat(run("run", "--model", lenet().resolve("model.onnx").toString(), "--input", missing.toString(),
                "--output-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: tensor file not found: " + missing + "\n");
    }

    @Test
    void aCorruptInputFileIsNamed(@TempDir Path dir) throws IOException, URISyntaxException {
        Path junk = dir.resolve("junk.pb");
        Files.write(junk, new byte[] {0x0a, 0x7f, 0x01});
        assertThat(run("run", "--model", lenet().resolve("model.onnx").toString(), "--input", junk.toString(),
                "--output-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: tensor file " + junk + " is not a valid TensorProto");
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() throws Exception {
        assertThat(run("bench")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: missing required option --model");
        err.reset();
        assertThat(run("bench", "--model", lenet().resolve("model.onnx").toString(), "--threads", "zero"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("error: --threads must be an integer, got 'zero'");
        err.reset();
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).startsWith("unknown engine command 'frobnicate'");
    }

    @Test
    void benchPrintsMedianAndP90() throws Exception {
        assertThat(run("bench", "--model", lenet().resolve("model.onnx").toString(), "--warmup", "1",
                "--iterations", "3")).isZero();
        assertThat(out.toString()).containsPattern("(?m)^median_ms=\\d+\\.\\d{3} p90_ms=\\d+\\.\\d{3}$");
    }
}
