package dev.continuum.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.cli.BackendTestRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A model's first load in a fresh JVM, the start an edge agent pays after every restart: for each model
 * directory, {@code --runs} new JVMs per runtime each load the model once and open a one-thread session,
 * timed from the start of {@code main}. The engine runs once as it starts by default and once with an
 * application class-data archive like the one {@code bin/continuum} makes (trained here by a JVM that
 * loads and runs every given model once); ONNX Runtime's time includes creating its environment (the
 * native library's load), as the engine's includes loading its classes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.continuum.benchmarks.ColdStart [--runs N] DIR...
 * </pre>
 */
public final class ColdStart {
    private static final String CHILD = "--child";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals(CHILD)) {
            child(args[1], Arrays.copyOfRange(args, 2, args.length));
            return;
        }
        int runs = 5;
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = runs(i + 1 < args.length ? args[++i] : null);
            } else if (args[i].startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: ColdStart [--runs N] DIR...");
            } else {
                dirs.addAll(BackendTestRunner.findTests(Path.of(args[i])));
            }
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no model directories (model.onnx) given; usage: ColdStart [--runs N] DIR...");
        }
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                throw new IllegalStateException("class path entry " + entry + " is a directory: a class-data archive "
                        + "needs a class path of jar files; run ColdStart from benchmarks/target/benchmarks.jar");
            }
        }
        Path archive = Files.createTempFile("continuum-cold-start", ".jsa");
        Files.delete(archive); // the JVM writes it at exit
        try {
            List<String> train = new ArrayList<>(List.of("train"));
            dirs.forEach(d -> train.add(d.toString()));
            spawn(List.of("-XX:ArchiveClassesAtExit=" + archive), train);
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("the training JVM wrote no class-data archive at " + archive);
            }
            System.out.printf(Locale.ROOT, "| model | engine ms | engine with archive ms | ORT ms (environment + session) "
                    + "| process wall ms: engine / with archive / ORT |%n|---|---:|---:|---:|---:|%n");
            for (Path dir : dirs) {
                List<String> engineChild = List.of("engine", dir.toString());
                double[][] engine = times(runs, List.of(), engineChild);
                double[][] archived = times(runs, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"), engineChild);
                double[][] ort = times(runs, List.of(), List.of("ort", dir.toString()));
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f / %.0f / %.0f |%n", dir.getFileName(),
                        median(engine[0]), median(archived[0]), median(ort[0]), median(engine[1]),
                        median(archived[1]), median(ort[1]));
            }
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** The value of {@code --runs}: a whole number of at least 1. */
    private static int runs(String value) {
        try {
            int runs = Integer.parseInt(value);
            if (runs >= 1) {
                return runs;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("--runs needs a whole number of at least 1, got "
                + (value == null ? "nothing" : "'" + value + "'"));
    }

    /**
     * In-JVM milliseconds and process wall milliseconds of {@code runs} fresh JVMs (with these options)
     * running one child, each sorted.
     */
    private static double[][] times(int runs, List<String> jvmOptions, List<String> child)
            throws IOException, InterruptedException {
        double[] inJvm = new double[runs];
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            String out = spawn(jvmOptions, child);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            inJvm[i] = Double.parseDouble(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        }
        Arrays.sort(inJvm);
        Arrays.sort(wall);
        return new double[][] {inJvm, wall};
    }

    /** Runs this class as a child JVM with these options, the child's mode and arguments after; its stdout. */
    private static String spawn(List<String> jvmOptions, List<String> child) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xlog:disable",
                "-Xlog:all=error:stderr", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvmOptions);
        cmd.add(ColdStart.class.getName());
        cmd.add(CHILD);
        cmd.addAll(child);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child JVM failed (exit " + p.exitValue() + "): " + String.join(" ", cmd));
        }
        return out;
    }

    /** A child JVM: loads the model(s) and prints the milliseconds since main began. */
    private static void child(String mode, String[] dirs) throws IOException, OrtException {
        long t0 = System.nanoTime();
        switch (mode) {
            case "engine" -> {
                try (Session s = Model.load(Path.of(dirs[0]).resolve("model.onnx")).newSession(new SessionOptions(1))) {
                    System.out.println((System.nanoTime() - t0) / 1e6);
                }
            }
            case "ort" -> {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                try (OrtSession.SessionOptions so = ModelComparison.ortOptions(1);
                     OrtSession s = env.createSession(Path.of(dirs[0]).resolve("model.onnx").toString(), so)) {
                    System.out.println((System.nanoTime() - t0) / 1e6);
                }
            }
            case "train" -> {
                for (String dir : dirs) {
                    Path d = Path.of(dir);
                    Model model = Model.load(d.resolve("model.onnx"));
                    try (Session s = model.newSession(new SessionOptions(1))) {
                        s.run(ModelComparison.readInputs(model, d));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown child mode " + mode);
        }
    }

    private static double median(double[] sorted) {
        return ModelComparison.percentile(sorted, 50);
    }
}
