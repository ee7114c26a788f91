package dev.continuum.engine.cli;

import dev.continuum.engine.EngineException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code continuum engine check|run|bench}: the tensor engine's command line. Exit codes: 0 success,
 * 1 a check failed or a run errored, 2 a usage error.
 */
public final class EngineCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private EngineCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "check" -> CheckCommand.run(Args.parse(rest), out);
                case "run" -> RunCommand.run(Args.parse(rest), out);
                case "bench" -> BenchCommand.run(Args.parse(rest), out);
                case "ops" -> {
                    var registry = dev.continuum.engine.internal.ops.Ops.registry();
                    for (String op : registry.ops()) {
                        String[] p = op.split(":", 2);
                        out.println((p[0].isEmpty() ? "ai.onnx" : p[0]) + " " + p[1] + " " + registry.versions(p[0], p[1]));
                    }
                    yield OK;
                }
                default -> {
                    err.println("unknown engine command '" + args[0] + "'");
                    usage(err);
                    yield USAGE;
                }
            };
        } catch (Args.UsageException e) {
            err.println("error: " + e.getMessage());
            usage(err);
            return USAGE;
        } catch (EngineException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    static void usage(PrintStream p) {
        p.println("""
                usage: continuum engine <command> [options]
                  check DIR...                       run ONNX backend tests (model.onnx + test_data_set_N) found under DIRs
                        [--rtol R] [--atol A]        tolerances (default 1e-3, 1e-5)
                  run --model M --input in.pb [--input ...] --output-dir D [--threads T]
                                                     run a model, write output_K.pb
                  bench --model M [--input in.pb ...] [--threads T] [--warmup W] [--iterations N]
                                                     time inference; prints median_ms=<x> p90_ms=<y>
                  ops                                list supported operators with their since-versions""");
    }
}
