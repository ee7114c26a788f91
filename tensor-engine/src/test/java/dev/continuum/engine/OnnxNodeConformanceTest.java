package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.cli.BackendTestRunner;
import dev.continuum.engine.cli.TestCase;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX's backend node tests (copied with their license into test resources) for the ops the engine
 * supports. Every test with core dtypes and no training mode must pass or be skipped with a named
 * reason; at least 95% must pass.
 */
class OnnxNodeConformanceTest {
    private static final Path ROOT = resource("onnx-node-tests");
    /** Each test runs once; the per-test reports and the pass-rate check read the same outcomes. */
    private static final Map<String, TestCase> OUTCOMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static TestCase outcome(String name) {
        return OUTCOMES.computeIfAbsent(name, n -> new BackendTestRunner().check(ROOT.resolve(n)));
    }

    @TestFactory
    Stream<DynamicTest> everyCoreNodeTestPassesOrIsSkippedWithAReason() throws IOException {
        return coreTests().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            TestCase t = outcome(name);
            if (t.outcome() == TestCase.Outcome.SKIP) {
                Assumptions.abort(t.reason());
            }
            assertThat(t.outcome()).as(t.line()).isEqualTo(TestCase.Outcome.PASS);
        }));
    }

    @Test
    void atLeastNinetyFivePercentOfCoreNodeTestsPass() throws IOException {
        List<String> names = coreTests();
        List<String> notPassing = new ArrayList<>();
        for (String name : names) {
            TestCase t = outcome(name);
            if (t.outcome() != TestCase.Outcome.PASS) {
                notPassing.add(t.line());
            }
        }
        int passed = names.size() - notPassing.size();
        System.out.printf("ONNX node conformance: %d of %d core tests pass (%.1f%%)%n", passed, names.size(),
                100.0 * passed / names.size());
        notPassing.forEach(l -> System.out.println("  " + l));
        assertThat(names).hasSize(458);
        assertThat(passed).as("passing core node tests").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * names.size()));
    }

    /** Tests whose INDEX row has core_dtypes=yes and that do not exercise training mode. */
    static List<String> coreTests() throws IOException {
        List<String> names = new ArrayList<>();
        List<String> lines = Files.readAllLines(ROOT.resolve("INDEX.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f[7].equals("yes") && !f[0].contains("training")) {
                names.add(f[0]);
            }
        }
        return names;
    }

    static Path resource(String name) {
        try {
            return Path.of(OnnxNodeConformanceTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
