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
 * (ALL_OPT, same intra-op thread count) on the same inputs, batch 1, after warm-up, with the two runtimes timed in alternating rounds, and prints one
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
                      double ortMedianMs, double ortP90Ms, double engineLoadMs, double ortLoadMs,
                      double engineWarmLoadMs, double ortWarmLoadMs, long splitThreshold) {
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
                + "| engine/ORT | engine GFLOP/s | engine load ms, first / warm | ORT load ms, first / warm "
                + "| engine split threshold |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    public static String format(Row r) {
        return String.format(Locale.ROOT,
                "| %s | %.4f | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %.1f | %.1f / %.1f | %.1f / %.1f | %s |",
                r.model(), r.gflop(), r.threads(), r.engineMedianMs(), r.engineP90Ms(), r.ortMedianMs(),
                r.ortP90Ms(), r.ratio(), r.engineGflops(), r.engineLoadMs(), r.engineWarmLoadMs(), r.ortLoadMs(),
                r.ortWarmLoadMs(),
                r.threads() == 1 ? "-" : String.format(Locale.ROOT, "2^%.1f", Math.log(r.splitThreshold()) / Math.log(2)));
    }

    /**
     * Measures one model at one thread count: both runtimes warm up, then their timed runs alternate
     * in {@value #ROUNDS} rounds of {@code seconds / ROUNDS} each, so that a change in the machine's
     * speed during the measurement (another tenant, the clock) weighs on both alike.
     */
    public static Row measure(Path dir, int threads, double seconds) throws IOException, OrtException {
        Path file = dir.resolve("model.onnx");
        long t0 = System.nanoTime();
        Model model = Model.load(file);
        Session session = model.newSession(new SessionOptions(threads));
        double engineLoadMs = (System.nanoTime() - t0) / 1e6;
        Map<String, Tensor> inputs = readInputs(model, dir);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (session; OrtSession.SessionOptions so = ortOptions(threads)) {
            long t1 = System.nanoTime();
            OrtSession ortSession = env.createSession(file.toString(), so);
            double ortLoadMs = (System.nanoTime() - t1) / 1e6;
            Map<String, OnnxTensor> ortInputs = toOrt(env, inputs);
            try (ortSession) {
                Run engine = () -> session.run(inputs);
                Run ort = () -> {
                    try (OrtSession.Result r = ortSession.run(ortInputs)) {
                        return r.size();
                    } catch (OrtException e) {
                        throw new IllegalStateException(e);
                    }
                };
                warm(engine, seconds);
                while (!session.splitThresholdSettled()) {
                    engine.run(); // the session times its own runs to choose its split threshold
                }
                warm(ort, seconds);
                List<Double> engineMs = new ArrayList<>();
                List<Double> ortMs = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    time(engine, seconds / ROUNDS, engineMs);
                    time(ort, seconds / ROUNDS, ortMs);
                }
                double[] e = sorted(engineMs);
                double[] o = sorted(ortMs);
                double[][] warmLoads = warmLoads(file, threads, env, so);
                return new Row(dir.getFileName().toString(), model.flops() / 1e9, threads, percentile(e, 50),
                        percentile(e, 90), percentile(o, 50), percentile(o, 90), engineLoadMs, ortLoadMs,
                        percentile(warmLoads[0], 50), percentile(warmLoads[1], 50), session.splitThreshold());
            } finally {
                ortInputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static final int ROUNDS = 10;

    /** Loads per runtime after the timed runs, for the warm load time. */
    private static final int WARM_LOADS = 5;

    /**
     * Sorted times of {@value #WARM_LOADS} more loads of the model (with a session opened and closed)
     * in each runtime, alternating: {engine, ORT}. The first load of a model in a JVM runs the engine's
     * loader on code the JIT has not yet compiled for that model's layers; these show what a load costs
     * once it has.
     */
    private static double[][] warmLoads(Path file, int threads, OrtEnvironment env, OrtSession.SessionOptions so)
            throws OrtException {
        double[] engine = new double[WARM_LOADS];
        double[] ort = new double[WARM_LOADS];
        for (int i = 0; i < WARM_LOADS; i++) {
            long t0 = System.nanoTime();
            Model.load(file).newSession(new SessionOptions(threads)).close();
            engine[i] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            env.createSession(file.toString(), so).close();
            ort[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(engine);
        Arrays.sort(ort);
        return new double[][] {engine, ort};
    }

    private interface Run {
        Object run();
    }

    /** Runs for {@code seconds} and at least 300 times: the JIT must compile the Vector API paths before timing. */
    private static void warm(Run r, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        int warm = 0;
        while (warm < 300 || System.nanoTime() < warmEnd) {
            r.run();
            warm++;
        }
    }

    /** Times runs for about {@code seconds} (at least 2 runs) into {@code ms}. */
    private static void time(Run r, double seconds, List<Double> ms) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int n = 0;
        while (n < 2 || (System.nanoTime() < end && n < 10_000)) {
            long s = System.nanoTime();
            r.run();
            ms.add((System.nanoTime() - s) / 1e6);
            n++;
        }
    }

    private static double[] sorted(List<Double> ms) {
        double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** ONNX Runtime's options for a comparison: every graph optimisation, this many intra-op threads, one inter-op. */
    static OrtSession.SessionOptions ortOptions(int threads) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        return so;
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
