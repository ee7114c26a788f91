package dev.continuum.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code continuum} — the command line for operators and CI. Talks only to the controller's REST
 * API. Exit codes: see {@link ExitCodes}.
 */
@Command(name = "continuum", version = "continuum 0.1.0",
        description = "Operate a Continuum controller: publish models, move aliases, query devices, roll versions out, "
                + "see where models run, manage tokens.",
        subcommands = {LoginCommand.class, ModelsCommand.class, AliasesCommand.class, DevicesCommand.class,
                TokensCommand.class, BootstrapTokensCommand.class, AssignCommand.class, DemoCommand.class,
                MqttConfigCommand.class, RolloutsCommand.class, PlacementsCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 refused or failed by the controller, 2 usage, 3 cannot connect, "
                + "4 not authenticated or not allowed, 5 rollouts create --wait gave up at --timeout.",
                "Environment: CONTINUUM_URL and CONTINUUM_TOKEN override the login file "
                        + "($CONTINUUM_CONFIG or ~/.config/continuum/config.json)."})
public final class Main implements Runnable {
    /** On every command and subcommand (the standard mixin's --version would clash with rollouts' --version). */
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;
    final boolean interactive;

    Main(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    CliConfig config() {
        return CliConfig.load(env);
    }

    ApiClient client() {
        CliConfig c = config();
        return new ApiClient(c.url, c.token);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, System.console() != null));
    }

    /** Runs one command line and returns its exit code; the entry point for tests. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {
        CommandLine cl = new CommandLine(new Main(env, out, err, interactive));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof CliException c) {
                err.println("continuum: " + c.getMessage());
                return c.exitCode();
            }
            err.println("continuum: unexpected error: " + ex);
            return ExitCodes.FAILED;
        });
        cl.setParameterExceptionHandler((ex, argv) -> {
            err.println("continuum: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }
}
