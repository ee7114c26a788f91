package dev.continuum.engine.cli;

import dev.continuum.engine.DataType;
import dev.continuum.engine.EngineException;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.engine.UnsupportedModelException;
import dev.continuum.engine.internal.TensorProtos;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.onnx.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks models in ONNX backend-test layout ({@code model.onnx}, {@code test_data_set_N/input_K.pb},
 * {@code output_K.pb}) against their reference outputs: |a - b| <= atol + rtol * |b| elementwise for
 * floating point (NaN matches NaN), exact for integers and bool.
 */
public final class BackendTestRunner {
    public static final double DEFAULT_RTOL = 1e-3;
    public static final double DEFAULT_ATOL = 1e-5;

    private final double rtol;
    private final double atol;

    public BackendTestRunner(double rtol, double atol) {
        this.rtol = rtol;
        this.atol = atol;
    }

    public BackendTestRunner() {
        this(DEFAULT_RTOL, DEFAULT_ATOL);
    }

    /** Every directory holding a {@code model.onnx} at or under {@code root}, sorted by path. */
    public static List<Path> findTests(Path root) throws IOException {
        if (Files.isRegularFile(root.resolve("model.onnx"))) {
            return List.of(root);
        }
        try (Stream<Path> s = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> p.getFileName().toString().equals("model.onnx") && Files.isRegularFile(p))
                    .map(Path::getParent).sorted().toList();
        }
    }

    public TestCase check(Path dir) {
        String name = dir.getFileName().toString();
        Model model;
        try {
            model = Model.load(dir.resolve("model.onnx"));
        } catch (UnsupportedModelException e) {
            return new TestCase(name, dir, TestCase.Outcome.SKIP, e.getMessage());
        } catch (EngineException e) {
            return new TestCase(name, dir, TestCase.Outcome.FAIL, "load failed: " + e.getMessage());
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_") && Files.isDirectory(p))
                    .sorted().toList();
            if (sets.isEmpty()) {
                return new TestCase(name, dir, TestCase.Outcome.SKIP, "no test_data_set_N directory");
            }
            try (Session session = model.newSession()) {
                for (Path set : sets) {
                    String problem = checkSet(model, session, set);
                    if (problem != null) {
                        boolean skip = problem.startsWith("SKIP:");
                        return new TestCase(name, dir, skip ? TestCase.Outcome.SKIP : TestCase.Outcome.FAIL,
                                skip ? problem.substring(5) : (sets.size() > 1 ? set.getFileName() + ": " : "") + problem);
                    }
                }
            }
            return new TestCase(name, dir, TestCase.Outcome.PASS, null);
        } catch (IOException e) {
            return new TestCase(name, dir, TestCase.Outcome.FAIL, "cannot read test data: " + e.getMessage());
        } catch (RuntimeException e) {
            return new TestCase(name, dir, TestCase.Outcome.FAIL, "crashed: " + e);
        }
    }

    /** Null when the set passes; else the reason (prefixed {@code SKIP:} for an unsupported feature). */
    private String checkSet(Model model, Session session, Path set) throws IOException {
        List<TensorInfo> declaredInputs = model.inputs();
        Map<String, Tensor> inputs = new HashMap<>();
        for (int k = 0; ; k++) {
            Path p = set.resolve("input_" + k + ".pb");
            if (!Files.exists(p)) {
                break;
            }
            if (k >= declaredInputs.size()) {
                return "test data has more inputs than the model (" + declaredInputs.size() + ")";
            }
            TensorProto tp = readTensor(p);
            if (tp == null) {
                return "SKIP:input_" + k + ".pb is not a tensor (sequence or optional values are not supported)";
            }
            inputs.put(declaredInputs.get(k).name(), TensorProtos.toTensor(tp));
        }
        Map<String, Tensor> outputs;
        try {
            outputs = session.run(inputs);
        } catch (UnsupportedModelException e) {
            return "SKIP:" + e.getMessage();
        } catch (EngineException e) {
            return e.getMessage();
        }
        List<TensorInfo> declaredOutputs = model.outputs();
        for (int k = 0; k < declaredOutputs.size(); k++) {
            Path p = set.resolve("output_" + k + ".pb");
            if (!Files.exists(p)) {
                continue;
            }
            TensorProto tp = readTensor(p);
            if (tp == null) {
                return "SKIP:output_" + k + ".pb is not a tensor";
            }
            String outName = declaredOutputs.get(k).name();
            String problem = compare(outName, outputs.get(outName), TensorProtos.toTensor(tp));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static TensorProto readTensor(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            TensorProto t = TensorProto.parseFrom(in);
            return t.hasDataType() || t.getDimsCount() > 0 || t.hasRawData() ? t : null;
        }
    }

    /** Null when {@code actual} matches {@code expected}; else the mismatch, with max error and where. */
    public String compare(String name, Tensor actual, Tensor expected) {
        if (actual == null) {
            return "output '" + name + "' missing";
        }
        if (actual.dataType() != expected.dataType()) {
            return "output '" + name + "' has type " + actual.dataType() + ", expected " + expected.dataType();
        }
        if (!java.util.Arrays.equals(actual.dims(), expected.dims())) {
            return "output '" + name + "' has shape " + Shapes.str(actual.dims()) + ", expected "
                    + Shapes.str(expected.dims());
        }
        DataType t = expected.dataType();
        double maxErr = 0;
        int worst = -1;
        int bad = 0;
        for (int i = 0; i < expected.size(); i++) {
            if (t.isFloatingPoint()) {
                double a = actual.getDouble(i);
                double b = expected.getDouble(i);
                if (Double.isNaN(a) && Double.isNaN(b) || a == b) {
                    continue;
                }
                double err = Math.abs(a - b);
                if (!(err <= atol + rtol * Math.abs(b))) {
                    bad++;
                    if (worst < 0 || Double.isNaN(err) || err > maxErr) {
                        maxErr = err;
                        worst = i;
                    }
                }
            } else if (actual.getLong(i) != expected.getLong(i)) {
                bad++;
                double err = Math.abs((double) actual.getLong(i) - expected.getLong(i));
                if (worst < 0 || err > maxErr) {
                    maxErr = err;
                    worst = i;
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        return "output '" + name + "': " + bad + " of " + expected.size() + " elements differ, max abs error "
                + maxErr + " at " + Shapes.str(unravel(worst, expected.dims())) + " (got "
                + format(actual, worst) + ", expected " + format(expected, worst) + ")";
    }

    private static String format(Tensor t, int i) {
        return t.dataType().isFloatingPoint() ? String.valueOf(t.getDouble(i)) : String.valueOf(t.getLong(i));
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = flat % shape[d];
                flat /= shape[d];
            }
        }
        return idx;
    }

    /** Runs {@link #check} over every test under the roots. */
    public List<TestCase> checkAll(List<Path> roots) throws IOException {
        List<TestCase> results = new ArrayList<>();
        for (Path root : roots) {
            for (Path dir : findTests(root)) {
                results.add(check(dir));
            }
        }
        return results;
    }
}
