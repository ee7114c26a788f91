package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum assign MODEL (--version V | --alias A) --selector S [--placement edge|cloud] [--config k=v]}. */
@Command(name = "assign", description = "Assign a model version (or the version an alias names) to the devices a "
        + "label selector matches now; their agents download and serve it.")
final class AssignCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--version", required = true, description = "Model version")
        String version;
        @Option(names = "--alias", required = true, description = "Alias naming the version, e.g. production")
        String alias;
    }

    @Option(names = "--selector", required = true,
            description = "Devices by label, e.g. 'region=eu,tier in (gold,silver)'; a device id: use its labels")
    String selector;

    @Option(names = "--placement", description = "edge (default) or cloud")
    String placement;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Model config handed to the agent (repeatable)")
    Map<String, String> config;

    @Override
    public Integer call() {
        // exactly one of version and alias is given (the ArgGroup)
        Map<String, Object> body = body("model", model, "version", target.version, "alias", target.alias,
                "selector", selector, "placement", placement, "config", config);
        JsonNode r = api().post("/api/v1/assignments", body);
        return print(r, () -> {
            main().out.printf("%s %s (%s) assigned to %d device(s), placement %s%n", r.path("model").asText(),
                    r.path("version").asText(), r.path("sha256").asText(), r.path("devices").size(),
                    r.path("placement").asText());
            for (JsonNode d : r.path("devices")) {
                main().out.printf("  %s  revision %d%n", d.path("deviceId").asText(), d.path("revision").asLong());
            }
        });
    }
}
