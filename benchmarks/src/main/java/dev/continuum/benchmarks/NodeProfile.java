package dev.continuum.benchmarks;

import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.LoadedGraph;
import dev.continuum.engine.internal.ModelLoader;
import dev.continuum.engine.internal.Step;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Ops;
import dev.continuum.engine.internal.ops.WorkerPool;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where one run of a model spends its time, per node and per operator type, after warm-up. Runs
 * the loaded graph's steps the way a session does (same kernels, arena and release plan) with a
 * clock around each kernel call; the total of the node times against the whole run shows the
 * per-run overhead outside the kernels. With {@code --cpu} the clock is the calling thread's CPU
 * time, which on a loaded machine leaves out the time the thread waited for a core (meaningful at
 * one thread only: workers' time is not counted). With {@code --ort} the node table gets a column
 * with ONNX Runtime's time for the same node (its own profiler, same thread count, after the same
 * warm-up), matched by node name or by output name (ORT renames the convolutions its NCHWc layout
 * pass rewrites after their output, with {@code _nchwc} appended); "-" where ORT fused the node
 * into another. ORT's profiler adds its own overhead to each node, so compare orders of magnitude,
 * not a few percent.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.continuum.benchmarks.NodeProfile [--threads 1] [--seconds 3] [--top 15] [--cpu] [--ort] MODEL_DIR
 * </pre>
 */
public final class NodeProfile {
    private NodeProfile() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        int threads = 1;
        double seconds = 3;
        int top = 15;
        boolean cpu = false;
        boolean ort = false;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--cpu" -> cpu = true;
                case "--ort" -> ort = true;
                default -> dir = Path.of(args[i]);
            }
        }
        if (dir == null) {
            System.err.println("usage: NodeProfile [--threads N] [--seconds S] [--top K] [--cpu] [--ort] MODEL_DIR");
            System.exit(2);
        }
        profile(dir, threads, seconds, top, cpu ? NodeProfile::threadCpuNanos : System::nanoTime, ort);
    }

    static void profile(Path dir, int threads, double seconds, int top, LongSupplier clock, boolean ort)
            throws IOException, OrtException {
        Path file = dir.resolve("model.onnx");
        LoadedGraph graph;
        try (InputStream in = Files.newInputStream(file)) {
            graph = new ModelLoader(Ops.registry()).load(in, dir);
        }
        Model model = Model.load(file);
        Map<String, Tensor> inputs = ModelComparison.readInputs(model, dir);
        long threshold = ExecContext.MIN_TASK_WORK;
        if (threads > 1) {
            // the split threshold a session of this model chooses by timing its runs
            try (Session session = model.newSession(new SessionOptions(threads))) {
                while (!session.splitThresholdSettled()) {
                    session.run(inputs);
                }
                threshold = session.splitThreshold();
            }
        }
        WorkerPool pool = threads > 1 ? new WorkerPool(threads - 1) : null;
        Arena arena = new Arena();
        Runner runner = new Runner(graph, arena, new ExecContext(pool, threads, arena, threshold), clock);
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        for (int n = 0; n < 300 || System.nanoTime() < warmEnd; n++) {
            runner.run(inputs, null);
        }
        long[] nanos = new long[graph.steps().size()];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long wall = 0;
        int runs = 0;
        while (runs < 20 || System.nanoTime() < end) {
            long s = clock.getAsLong();
            runner.run(inputs, nanos);
            wall += clock.getAsLong() - s;
            runs++;
        }
        if (pool != null) {
            System.out.printf(Locale.ROOT, "split threshold: %d (2^%.2f) units of work, %s%n", threshold,
                    Math.log(threshold) / Math.log(2), ExecContext.minTaskWorkSet()
                            ? "set by " + ExecContext.MIN_TASK_WORK_PROPERTY : "chosen by a session of the model");
            pool.close();
        }
        Map<String, Double> ortMicros = ort ? ortNodeMicros(file, inputs, threads, seconds) : null;
        print(dir.getFileName().toString(), threads, graph.steps(), nanos, wall, runs, top, ortMicros);
    }

    /**
     * ONNX Runtime's mean time per run of each node in microseconds, from its profiler, keyed by
     * node name with any {@code _nchwc} suffix removed.
     */
    static Map<String, Double> ortNodeMicros(Path file, Map<String, Tensor> inputs, int threads, double seconds)
            throws IOException, OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path dir = Files.createTempDirectory("ort-profile");
        Map<String, OnnxTensor> ortInputs = ModelComparison.toOrt(env, inputs);
        try (OrtSession.SessionOptions so = ModelComparison.ortOptions(threads)) {
            so.enableProfiling(dir.resolve("profile").toString());
            Path profile;
            try (OrtSession session = env.createSession(file.toString(), so)) {
                long end = System.nanoTime() + (long) (seconds * 2e9);
                for (int runs = 0; runs < PROFILED_RUNS && System.nanoTime() < end; runs++) {
                    session.run(ortInputs).close();
                }
                profile = Path.of(session.endProfiling());
            }
            try (Stream<String> lines = Files.lines(profile)) {
                return nodeMicros(lines::iterator);
            }
        } finally {
            ortInputs.values().forEach(OnnxTensor::close);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Most runs ORT profiles: each writes a few JSON lines per node into the profile (a small model
     * runs 100,000 times in a few seconds, gigabytes of profile).
     */
    private static final int PROFILED_RUNS = 4000;

    private static final Pattern NODE_EVENT =
            Pattern.compile("\\{\"cat\" *: *\"Node\".*\"dur\" *: *(\\d+).*\"name\" *: *\"([^\"]*)_kernel_time\"");

    /**
     * Mean microseconds per node over the second half of the profiled runs (the first half still
     * includes ORT's own warm-up of the profiled session), from ORT's profile: one JSON event per line.
     */
    static Map<String, Double> nodeMicros(Iterable<String> lines) {
        Map<String, List<Long>> durations = new HashMap<>();
        for (String line : lines) {
            Matcher m = NODE_EVENT.matcher(line);
            if (m.find()) {
                durations.computeIfAbsent(m.group(2).replaceFirst("_nchwc$", ""), k -> new ArrayList<>())
                        .add(Long.parseLong(m.group(1)));
            }
        }
        Map<String, Double> micros = new HashMap<>();
        durations.forEach((name, d) -> micros.put(name,
                d.subList(d.size() / 2, d.size()).stream().mapToLong(Long::longValue).average().orElse(0)));
        return micros;
    }

    private static void print(String model, int threads, List<Step> steps, long[] nanos, long wall, int runs, int top,
                              Map<String, Double> ortMicros) {
        long inKernels = Arrays.stream(nanos).sum();
        System.out.printf(Locale.ROOT, "%s, %d thread(s), %d runs: %.1f us per run, %.1f us in %d kernels%n",
                model, threads, runs, wall / 1e3 / runs, inKernels / 1e3 / runs, steps.size());
        Map<String, long[]> byOp = new TreeMap<>();
        for (int i = 0; i < steps.size(); i++) {
            long[] acc = byOp.computeIfAbsent(steps.get(i).node().opType(), k -> new long[2]);
            acc[0] += nanos[i];
            acc[1]++;
        }
        System.out.println("| op type | nodes | us per run | share |");
        System.out.println("|---|---:|---:|---:|");
        byOp.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[0])).forEach(e ->
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f%% |%n", e.getKey(), e.getValue()[1],
                        e.getValue()[0] / 1e3 / runs, 100.0 * e.getValue()[0] / Math.max(1, inKernels)));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> -nanos[i]));
        System.out.println("| node | op type | output shape | us per run |" + (ortMicros != null ? " ORT us |" : ""));
        System.out.println("|---|---|---|---:|" + (ortMicros != null ? "---:|" : ""));
        for (int i : order.subList(0, Math.min(top, order.size()))) {
            Step s = steps.get(i);
            String ort = "";
            if (ortMicros != null) {
                Double us = ortMicros.get(s.node().name());
                if (us == null && !s.node().outputs().isEmpty()) {
                    us = ortMicros.get(s.node().outputs().get(0));
                }
                ort = us == null ? " - |" : String.format(Locale.ROOT, " %.1f |", us);
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f |%s%n", s.node().name(), s.node().opType(),
                    s.node().outputs(), nanos[i] / 1e3 / runs, ort);
        }
    }

    private static long threadCpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Executes a loaded graph's steps like a session, optionally timing each kernel call. */
    private static final class Runner {
        private final LoadedGraph graph;
        private final Arena arena;
        private final ExecContext ctx;
        private final Tensor[] slots;
        private final LongSupplier clock;

        Runner(LoadedGraph graph, Arena arena, ExecContext ctx, LongSupplier clock) {
            this.graph = graph;
            this.arena = arena;
            this.ctx = ctx;
            this.clock = clock;
            this.slots = new Tensor[graph.slotCount()];
        }

        void run(Map<String, Tensor> inputs, long[] nanos) {
            for (int i = 0; i < graph.inputs().size(); i++) {
                slots[graph.inputSlots()[i]] = inputs.get(graph.inputs().get(i).name());
            }
            for (int i = 0; i < graph.constantSlots().length; i++) {
                slots[graph.constantSlots()[i]] = graph.constantValues()[i];
            }
            List<Step> steps = graph.steps();
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                Tensor[] args = new Tensor[step.inputSlots().length];
                for (int a = 0; a < args.length; a++) {
                    args[a] = step.inputSlots()[a] < 0 ? null : slots[step.inputSlots()[a]];
                }
                long s = nanos == null ? 0 : clock.getAsLong();
                Tensor[] out = step.kernel().compute(ctx, args);
                if (nanos != null) {
                    nanos[i] += clock.getAsLong() - s;
                }
                for (int o = 0; o < step.outputSlots().length; o++) {
                    if (step.outputSlots()[o] >= 0) {
                        slots[step.outputSlots()[o]] = out[o];
                    }
                }
                for (int r : step.releaseAfter()) {
                    Tensor dead = slots[r];
                    slots[r] = null;
                    if (dead != null && Arrays.stream(slots).noneMatch(t -> t != null && t.data() == dead.data())) {
                        ctx.recycle(dead.data());
                    }
                }
            }
            // as a session ends a run: the outputs leave the arena, every other array left goes back
            // to it (inputs and constants, which it did not hand out, are ignored); left in the slots,
            // the arena kept every run's output array as its own and handed out a new one each run
            for (int o : graph.outputSlots()) {
                if (slots[o] != null) {
                    arena.release(slots[o].data());
                    slots[o] = null;
                }
            }
            for (int i = 0; i < slots.length; i++) {
                Tensor t = slots[i];
                slots[i] = null;
                if (t != null && Arrays.stream(slots).noneMatch(u -> u != null && u.data() == t.data())) {
                    arena.recycle(t.data()); // once, however many slots share it
                }
            }
        }
    }
}
