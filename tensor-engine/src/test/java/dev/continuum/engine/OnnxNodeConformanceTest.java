package dev.continuum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.cli.BackendTestRunner;
import dev.continuum.engine.cli.TestCase;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    @TestFactory
    Stream<DynamicTest> everyCoreNodeTestPassesOrIsSkippedWithAReason() throws IOException {
        Map<String, String> knownLimits = knownLimits();
        BackendTestRunner runner = new BackendTestRunner();
        return coreTests().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            TestCase t = runner.check(ROOT.resolve(name));
            if (t.outcome() == TestCase.Outcome.SKIP) {
                Assumptions.abort(t.reason());
            }
            if (t.outcome() == TestCase.Outcome.FAIL && knownLimits.containsKey(name)) {
                Assumptions.abort("known limit: " + knownLimits.get(name));
            }
            assertThat(t.outcome()).as(t.line()).isEqualTo(TestCase.Outcome.PASS);
        }));
    }

    @Test
    void atLeastNinetyFivePercentOfCoreNodeTestsPass() throws IOException {
        BackendTestRunner runner = new BackendTestRunner();
        List<String> names = coreTests();
        List<String> notPassing = new ArrayList<>();
        for (String name : names) {
            TestCase t = runner.check(ROOT.resolve(name));
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

    /** Failing tests that are accepted limits of the engine, with the reason (see docs/engine/op-coverage.md). */
    static Map<String, String> knownLimits() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        Path p = resource("known-limits.tsv");
        for (String line : Files.readAllLines(p)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t", 2);
                m.put(f[0].trim(), f.length > 1 ? f[1].trim() : "");
            }
        }
        return m;
    }

    static Path resource(String name) {
        try {
            return Path.of(OnnxNodeConformanceTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
