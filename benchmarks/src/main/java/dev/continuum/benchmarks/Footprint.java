package dev.continuum.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.cli.BackendTestRunner;
import dev.continuum.engine.internal.TensorProtos;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a loaded model costs in memory, as a device holding it pays: for each model directory, a fresh
 * JVM per runtime loads the model, opens a one-thread session and runs it once. For the engine it
 * prints the heap the model and its session hold: the used heap after full collections with both
 * held, less the same once both are gone (the serial collector's, whose used heap after a full
 * collection is the live bytes); for ONNX Runtime, whose weights live outside the heap, the process's
 * resident set growth. Figures of a few MB are within the engine column's noise (2-4 MB).
 * (The engine's resident set grows with the heap the JVM sizes for its first, interpreted runs'
 * garbage, which says more of the JVM's heap policy than of the model: cap it with {@code -Xmx}.)
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.continuum.benchmarks.Footprint DIR...
 * </pre>
 */
public final class Footprint {
    private static final String CHILD = "--child";

    private Footprint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals(CHILD)) {
            System.out.println(child(args[1], Path.of(args[2])));
            return;
        }
        List<Path> dirs = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + a + "; usage: Footprint DIR...");
            }
            dirs.addAll(BackendTestRunner.findTests(Path.of(a)));
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no model directories (model.onnx) given; usage: Footprint DIR...");
        }
        System.out.printf(Locale.ROOT, "| model | weights MB | engine retained heap MB | ORT resident growth MB |%n"
                + "|---|---:|---:|---:|%n");
        for (Path dir : dirs) {
            String[] engine = spawn("engine", dir).split(" ");
            String[] ort = spawn("ort", dir).split(" ");
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", dir.getFileName(), engine[0], engine[1], ort[1]);
        }
    }

    /** Runs this class as a child JVM in this mode on one model directory; its last line of stdout. */
    private static String spawn(String mode, Path dir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // the serial collector's used heap after a full collection is the live bytes: G1 counts the regions
        // of a large array whole (4 MB each on a machine of this size)
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xlog:disable",
                "-Xlog:all=error:stderr", "-cp", System.getProperty("java.class.path"), Footprint.class.getName(),
                CHILD, mode, dir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child JVM failed (exit " + p.exitValue() + "): " + String.join(" ", cmd));
        }
        return out.strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    /**
     * Loads the model in dir in this runtime ("engine" or "ort"), opens a one-thread session and runs
     * it once on the directory's test inputs. The engine returns "weights-MB retained-heap-MB", ORT
     * "- resident-growth-MB".
     */
    static String child(String mode, Path dir) throws IOException, OrtException {
        Path file = dir.resolve("model.onnx");
        switch (mode) {
            case "engine" -> {
                // what the heap lets go of when the model and its session go: the classes, caches and garbage of
                // the load stay out of it
                long[] parameters = new long[1];
                long withModel = engineHeld(file, dir, parameters);
                long heap = withModel - usedHeapAfterGc();
                // weights as float32: parameters x 4 bytes
                return String.format(Locale.ROOT, "%.1f %.1f", parameters[0] * 4 / 1e6, heap / 1e6);
            }
            case "ort" -> {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                long rss0 = residentBytes();
                try (OrtSession.SessionOptions so = ModelComparison.ortOptions(1);
                     OrtSession s = env.createSession(file.toString(), so)) {
                    Map<String, OnnxTensor> in = ModelComparison.toOrt(env, inputs(s, dir));
                    try (OrtSession.Result r = s.run(in)) {
                        long rss = residentBytes() - rss0;
                        in.values().forEach(OnnxTensor::close);
                        return String.format(Locale.ROOT, "- %.1f", rss / 1e6);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown child mode " + mode);
        }
    }

    /**
     * Loads the model, runs a one-thread session on the test inputs and returns the used heap after a full
     * collection with both held; parameters[0] gets the model's parameter count. Its own method, so that nothing
     * of the model stays reachable from the caller's frame once it returns.
     */
    private static long engineHeld(Path file, Path dir, long[] parameters) {
        Model model = Model.load(file);
        parameters[0] = model.summary().parameterCount();
        try (Session s = model.newSession(new SessionOptions(1))) {
            s.run(ModelComparison.readInputs(model, dir));
            long used = usedHeapAfterGc();
            Reference.reachabilityFence(s);
            return used;
        }
    }

    /** The test inputs in dir ({@code test_data_set_0/input_K.pb}), by their own names or else ORT's K-th. */
    private static Map<String, Tensor> inputs(OrtSession s, Path dir) throws OrtException {
        List<String> names = new ArrayList<>(s.getInputNames());
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            TensorProtos.Named t = TensorProtos.readFile(dir.resolve("test_data_set_0").resolve("input_" + k + ".pb"));
            inputs.put(t.name().isEmpty() ? names.get(k) : t.name(), t.tensor());
        }
        return inputs;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's resident set (VmRSS), or 0 where /proc is not there. */
    private static long residentBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
