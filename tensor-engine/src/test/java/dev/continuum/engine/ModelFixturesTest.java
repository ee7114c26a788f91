package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.cli.BackendTestRunner;
import dev.continuum.engine.cli.TestCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole models exported from PyTorch by tools/models/export_models.py, with PyTorch's own outputs
 * as the reference: every one must pass, none may be skipped.
 */
class ModelFixturesTest {
    private static final Path ROOT = OnnxNodeConformanceTest.resource("models");

    @TestFactory
    Stream<DynamicTest> everyExportedModelMatchesPyTorch() throws IOException {
        List<Path> dirs = BackendTestRunner.findTests(ROOT);
        assertThat(dirs).extracting(p -> p.getFileName().toString())
                .contains("lenet", "rnn_classifier", "lstm_classifier", "gru_classifier", "attention",
                        "transformer_encoder", "resnet_small", "mobilenet_small");
        BackendTestRunner runner = new BackendTestRunner();
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            TestCase t = runner.check(dir);
            assertThat(t.outcome()).as(t.line()).isEqualTo(TestCase.Outcome.PASS);
        }));
    }
}
