package dev.continuum.engine.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code engine check DIR...}: one line per test, then {@code N passed, M failed, K skipped}. */
final class CheckCommand {
    private CheckCommand() {
    }

    static int run(Args args, PrintStream out) throws IOException {
        args.allow("rtol", "atol");
        if (args.positional().isEmpty()) {
            throw new Args.UsageException("check needs at least one DIR");
        }
        BackendTestRunner runner = new BackendTestRunner(args.getDouble("rtol", BackendTestRunner.DEFAULT_RTOL),
                args.getDouble("atol", BackendTestRunner.DEFAULT_ATOL));
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (String d : args.positional()) {
            Path root = Path.of(d);
            if (!Files.isDirectory(root)) {
                throw new Args.UsageException("not a directory: " + d);
            }
            List<Path> tests = BackendTestRunner.findTests(root);
            if (tests.isEmpty()) {
                out.println("FAIL " + d + ": no model.onnx found under it");
                failed++;
            }
            for (Path dir : tests) {
                TestCase t = runner.check(dir);
                out.println(t.line());
                out.flush();
                switch (t.outcome()) {
                    case PASS -> passed++;
                    case FAIL -> failed++;
                    case SKIP -> skipped++;
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed == 0 ? EngineCli.OK : EngineCli.FAILED;
    }
}
