package dev.continuum.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.engine.cli.BackendTestRunner;
import dev.continuum.engine.internal.TensorProtos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every model fixture (ONNX backend-test layout) in Continuum's engine and in ONNX Runtime
 * (ALL_OPT, same intra-op thread count) on the same inputs, batch 1, after warm-up, and prints one
 * table row per model and thread count. A DIR may be one model's directory or a parent of several
 * (symbolic links are followed).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.continuum.benchmarks.ModelComparison [--threads 1,2] [--seconds 3] DIR...
 * </pre>
 */
public final class ModelComparison {
    private ModelComparison() {
    }

    /** One measured (model, threads) pair; times in milliseconds. */
    public record Row(String model, double gflop, int threads, double engineMedianMs, double engineP90Ms,
                      double ortMedianMs, double ortP90Ms, double engineLoadMs, double ortLoadMs) {
        double ratio() {
            return engineMedianMs / ortMedianMs;
        }

        double engineGflops() {
            return gflop / (engineMedianMs / 1000);
        }
    }

    public static void main(String[] args) throws Exception {
        int[] threads = {1, 2};
        double seconds = 3;
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                default -> roots.add(Path.of(args[i]));
            }
        }
        if (roots.isEmpty()) {
            roots.add(Path.of("tensor-engine/src/test/resources/models"));
        }
        System.out.println(header());
        for (Path root : roots) {
            for (Path dir : BackendTestRunner.findTests(root)) {
                for (int t : threads) {
                    System.out.println(format(measure(dir, t, seconds)));
                }
            }
        }
    }

    public static String header() {
        return "| model | GFLOP | threads | engine median ms | engine p90 ms | ORT median ms | ORT p90 ms "
                + "| engine/ORT | engine GFLOP/s | engine load ms | ORT load ms |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    public static String format(Row r) {
        return String.format(Locale.ROOT, "| %s | %.4f | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %.1f | %.1f | %.1f |",
                r.model(), r.gflop(), r.threads(), r.engineMedianMs(), r.engineP90Ms(), r.ortMedianMs(),
                r.ortP90Ms(), r.ratio(), r.engineGflops(), r.engineLoadMs(), r.ortLoadMs());
    }

    /** Measures one model at one thread count, each runtime for about {@code seconds} after warm-up. */
    public static Row measure(Path dir, int threads, double seconds) throws IOException, OrtException {
        Path file = dir.resolve("model.onnx");
        long t0 = System.nanoTime();
        Model model = Model.load(file);
        Session session = model.newSession(new SessionOptions(threads));
        double engineLoadMs = (System.nanoTime() - t0) / 1e6;
        Map<String, Tensor> inputs = readInputs(model, dir);
        double[] engine;
        try (session) {
            engine = time(() -> session.run(inputs), seconds);
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double ortLoadMs;
        double[] ort;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            long t1 = System.nanoTime();
            OrtSession ortSession = env.createSession(file.toString(), so);
            ortLoadMs = (System.nanoTime() - t1) / 1e6;
            Map<String, OnnxTensor> ortInputs = toOrt(env, inputs);
            try (ortSession) {
                ort = time(() -> {
                    try (OrtSession.Result r = ortSession.run(ortInputs)) {
                        return r.size();
                    } catch (OrtException e) {
                        throw new IllegalStateException(e);
                    }
                }, seconds);
            } finally {
                ortInputs.values().forEach(OnnxTensor::close);
            }
        }
        return new Row(dir.getFileName().toString(), model.flops() / 1e9, threads, percentile(engine, 50),
                percentile(engine, 90), percentile(ort, 50), percentile(ort, 90), engineLoadMs, ortLoadMs);
    }

    private interface Run {
        Object run();
    }

    /**
     * Warm-up for {@code seconds} and at least 300 runs (the JIT must compile the Vector API paths
     * before timing), then times runs for another {@code seconds} (at least 20 runs).
     */
    private static double[] time(Run r, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        int warm = 0;
        while (warm < 300 || System.nanoTime() < warmEnd) {
            r.run();
            warm++;
        }
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (ms.size() < 20 || (System.nanoTime() < end && ms.size() < 100_000)) {
            long s = System.nanoTime();
            r.run();
            ms.add((System.nanoTime() - s) / 1e6);
        }
        double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static double percentile(double[] sorted, double p) {
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /** The inputs of {@code test_data_set_0}, bound to the model's inputs in declaration order. */
    static Map<String, Tensor> readInputs(Model model, Path dir) {
        List<TensorInfo> declared = model.inputs();
        Map<String, Tensor> inputs = new HashMap<>();
        for (int k = 0; k < declared.size(); k++) {
            Path file = dir.resolve("test_data_set_0/input_" + k + ".pb");
            inputs.put(declared.get(k).name(), TensorProtos.readFile(file).tensor());
        }
        return inputs;
    }

    static Map<String, OnnxTensor> toOrt(OrtEnvironment env, Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> out = new HashMap<>();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            Tensor t = e.getValue();
            long[] shape = Arrays.stream(t.dims()).asLongStream().toArray();
            OnnxTensor o = switch (t.dataType()) {
                case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floatData()), shape);
                case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(t.doubleData()), shape);
                case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longData()), shape);
                case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.intData()), shape);
                case INT8, UINT8, BOOL -> OnnxTensor.createTensor(env, ByteBuffer.wrap(t.byteData()), shape,
                        t.dataType() == dev.continuum.engine.DataType.UINT8 ? ai.onnxruntime.OnnxJavaType.UINT8
                                : t.dataType() == dev.continuum.engine.DataType.BOOL ? ai.onnxruntime.OnnxJavaType.BOOL
                                : ai.onnxruntime.OnnxJavaType.INT8);
                default -> throw new IllegalArgumentException("input '" + e.getKey() + "' of type " + t.dataType()
                        + " is not supported by the comparison harness");
            };
            out.put(e.getKey(), o);
        }
        return out;
    }
}
