package dev.continuum.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.continuum.engine.Model;
import dev.continuum.engine.cli.BackendTestRunner;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
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
            if (args[i].equals("--runs") && i + 1 < args.length) {
                runs = Integer.parseInt(args[++i]);
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
            List<String> train = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + archive));
            train.add("train");
            dirs.forEach(d -> train.add(d.toString()));
            spawn(train);
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("the training JVM wrote no class-data archive at " + archive);
            }
            System.out.printf(Locale.ROOT, "| model | engine ms | engine with archive ms | ORT ms (environment + session) "
                    + "| process wall ms: engine / with archive / ORT |%n|---|---:|---:|---:|---:|%n");
            for (Path dir : dirs) {
                double[][] engine = times(runs, List.of("engine", dir.toString()));
                double[][] archived = times(runs, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "engine",
                        dir.toString()));
                double[][] ort = times(runs, List.of("ort", dir.toString()));
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f / %.0f / %.0f |%n", dir.getFileName(),
                        median(engine[0]), median(archived[0]), median(ort[0]), median(engine[1]),
                        median(archived[1]), median(ort[1]));
            }
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** In-JVM milliseconds and process wall milliseconds of {@code runs} fresh JVMs running one child. */
    private static double[][] times(int runs, List<String> child) throws IOException, InterruptedException {
        double[] inJvm = new double[runs];
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            String out = spawn(child);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            inJvm[i] = Double.parseDouble(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        }
        return new double[][] {inJvm, wall};
    }

    /** Runs this class as a child JVM (JVM options first, then the child's mode and arguments); its stdout. */
    private static String spawn(List<String> child) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xlog:disable",
                "-Xlog:all=error:stderr", "-cp", System.getProperty("java.class.path")));
        int mode = child.indexOf("engine") >= 0 ? child.indexOf("engine")
                : child.indexOf("ort") >= 0 ? child.indexOf("ort") : child.indexOf("train");
        cmd.addAll(child.subList(0, mode));
        cmd.add(ColdStart.class.getName());
        cmd.add(CHILD);
        cmd.addAll(child.subList(mode, child.size()));
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
                try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    so.setIntraOpNumThreads(1);
                    so.setInterOpNumThreads(1);
                    try (OrtSession s = env.createSession(Path.of(dirs[0]).resolve("model.onnx").toString(), so)) {
                        System.out.println((System.nanoTime() - t0) / 1e6);
                    }
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

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
