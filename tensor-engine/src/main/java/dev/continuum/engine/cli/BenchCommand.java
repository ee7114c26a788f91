package dev.continuum.engine.cli;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** {@code engine bench}: times runs after warm-up; prints {@code median_ms=<x> p90_ms=<y>}. */
final class BenchCommand {
    private BenchCommand() {
    }

    static int run(Args args, PrintStream out) throws IOException {
        args.allow("model", "input", "threads", "warmup", "iterations", "seed");
        Path path = Path.of(args.required("model"));
        long t0 = System.nanoTime();
        Model model = Model.load(path);
        double loadMs = (System.nanoTime() - t0) / 1e6;
        Map<String, Tensor> inputs = args.all("input").isEmpty()
                ? randomInputs(model, new Random(Long.parseLong(args.get("seed", "42"))))
                : RunCommand.readInputs(model, args.all("input"));
        int threads = args.getInt("threads", 1, 1);
        int warmup = args.getInt("warmup", 10, 0);
        int iterations = args.getInt("iterations", 50, 1);
        double[] ms = new double[iterations];
        try (Session s = model.newSession(new SessionOptions(threads))) {
            for (int i = 0; i < warmup; i++) {
                s.run(inputs);
            }
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                s.run(inputs);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        out.printf("model=%s threads=%d iterations=%d load_ms=%.1f gflop=%.4f%n", path.getFileName(), threads,
                iterations, loadMs, model.flops() / 1e9);
        out.printf("median_ms=%.3f p90_ms=%.3f%n", percentile(ms, 50), percentile(ms, 90));
        return EngineCli.OK;
    }

    static double percentile(double[] sorted, double p) {
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /** Random inputs of the declared shapes; dynamic dimensions are taken as 1. */
    static Map<String, Tensor> randomInputs(Model model, Random rnd) {
        Map<String, Tensor> in = new HashMap<>();
        for (TensorInfo info : model.inputs()) {
            int[] shape = info.shape();
            if (shape == null) {
                throw new Args.UsageException("input '" + info.name() + "' has no declared shape; pass --input");
            }
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], 1);
            }
            Tensor t = Tensor.zeros(info.dataType(), shape);
            Object data = t.data();
            int n = t.size();
            for (int i = 0; i < n; i++) {
                switch (info.dataType()) {
                    case FLOAT -> ((float[]) data)[i] = (float) rnd.nextGaussian();
                    case DOUBLE -> ((double[]) data)[i] = rnd.nextGaussian();
                    case INT64 -> ((long[]) data)[i] = rnd.nextInt(2);
                    case INT32 -> ((int[]) data)[i] = rnd.nextInt(2);
                    case BOOL -> ((byte[]) data)[i] = (byte) rnd.nextInt(2);
                    case INT8, UINT8 -> ((byte[]) data)[i] = (byte) rnd.nextInt(256);
                    default -> {
                        if (info.dataType() != DataType.FLOAT16 && info.dataType() != DataType.BFLOAT16) {
                            throw new Args.UsageException("cannot make random " + info.dataType() + " input '"
                                    + info.name() + "'; pass --input");
                        }
                    }
                }
            }
            in.put(info.name(), t);
        }
        return in;
    }
}
