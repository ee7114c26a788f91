package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code continuum rollouts create --model M (--version V | --alias A) --selector S --budget-millis B [...]
 * [--wait [--timeout SECONDS]]}. With {@code --wait} it follows the rollout and its exit code is the verdict:
 * 0 COMPLETED, 1 ROLLED_BACK / FAILED / ABORTED, 3 the controller could not be reached, 5 the timeout ran out.
 */
@Command(name = "create", description = "Start a rollout; with --wait, follow it and exit 0 when it completes, "
        + "1 when it is rolled back, fails or is aborted, 3 when the controller cannot be reached, 5 at --timeout.")
final class RolloutCreateCommand extends ApiCommand {
    @Option(names = "--model", required = true, description = "Model")
    String model;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--version", required = true, description = "Version to roll out")
        String version;
        @Option(names = "--alias", required = true, description = "Alias naming the version (resolved once, now)")
        String alias;
    }

    @Option(names = "--selector", required = true, description = "Devices by label, e.g. 'region=eu,tier in (a,b)'")
    String selector;

    @Option(names = "--budget-millis", required = true, description = "Latency budget, ms (placement and the p95 gate)")
    Double budgetMillis;

    @Option(names = "--waves", split = ",", paramLabel = "WAVE",
            description = "Cumulative waves: percentages and/or device counts (default 1%%,10%%,50%%,100%%)")
    List<String> waves;

    @Option(names = "--bake-seconds", description = "How long each wave must serve before it may pass (default 600)")
    Double bakeSeconds;

    @Option(names = "--max-error-rate", description = "Gate: errors / requests at most, e.g. 0.01 (default)")
    Double maxErrorRate;

    @Option(names = "--max-p95-budget-multiple", description = "Gate: p95 at most budget × this (default 1)")
    Double maxP95BudgetMultiple;

    @Option(names = "--min-requests", description = "Gate: requests needed before it can pass (default 100)")
    Long minRequests;

    @Option(names = "--max-failed-devices", description = "Gate: devices failing to install, at most (default 0)")
    Integer maxFailedDevices;

    @Option(names = "--max-in-flight", description = "Devices updating at once, at most (default 10)")
    Integer maxInFlight;

    @Option(names = "--progress-deadline-seconds", description = "A device updating longer fails the rollout "
            + "(default 1800)")
    Double progressDeadlineSeconds;

    @Option(names = "--preference", description = "edge-first (default) or cloud-first")
    String preference;

    @Option(names = "--wait", description = "Follow the rollout until it ends; the exit code is its verdict")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --wait: give up after this long (exit 5)")
    Double timeoutSeconds;

    @Option(names = "--poll-seconds", paramLabel = "SECONDS", defaultValue = "2",
            description = "With --wait: how often to ask the controller (default ${DEFAULT-VALUE})")
    double pollSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds != null && !await) {
            throw new CliException(ExitCodes.USAGE, "--timeout needs --wait");
        }
        if (pollSeconds <= 0 || (timeoutSeconds != null && timeoutSeconds <= 0)) {
            throw new CliException(ExitCodes.USAGE, "--poll-seconds and --timeout must be positive");
        }
        JsonNode r = api().post(RolloutsCommand.ROLLOUTS, body());
        if (!await) {
            return print(r, () -> {
                main().out.printf("rollout %s created: %s %s to '%s', budget %s ms, waves %s%n", r.path("id").asText(),
                        r.path("model").asText(), r.path("version").asText(), r.path("selector").asText(),
                        r.path("budgetMillis").asText(), String.join(", ", texts(r.path("strategy").path("waves"))));
            });
        }
        if (!json) {
            main().out.printf("rollout %s created: %s %s to '%s'; waiting for it to finish%n", r.path("id").asText(),
                    r.path("model").asText(), r.path("version").asText(), r.path("selector").asText());
        }
        return new RolloutWatch(api(), main().out, json, pollSeconds, timeoutSeconds).follow(r);
    }

    private Map<String, Object> body() {
        Map<String, Object> gates = new LinkedHashMap<>(body("maxErrorRate", maxErrorRate,
                "maxP95BudgetMultiple", maxP95BudgetMultiple, "minRequests", minRequests,
                "maxFailedDevices", maxFailedDevices));
        return body("model", model, "version", target.version, "alias", target.alias, "selector", selector,
                "budgetMillis", budgetMillis, "preference", preference, "waves", waves == null ? null : waves(waves),
                "bakeSeconds", bakeSeconds, "gates", gates.isEmpty() ? null : gates, "maxInFlight", maxInFlight,
                "progressDeadlineSeconds", progressDeadlineSeconds);
    }

    /** "10%" stays a string, "5" becomes the number 5 (a device count). */
    static List<Object> waves(List<String> texts) {
        List<Object> out = new ArrayList<>();
        for (String t : texts) {
            String s = t.trim();
            out.add(s.matches("\\d+") ? (Object) Long.parseLong(s) : s);
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
