package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bootstrap-tokens", description = "Device enrolment tokens (operator).",
        subcommands = BootstrapTokensCommand.Create.class)
final class BootstrapTokensCommand {
    private BootstrapTokensCommand() {
    }

    @Command(name = "create", description = "Create a bootstrap token for enrolling devices; printed once.")
    static final class Create extends ApiCommand {
        @Option(names = "--name", description = "What the token is for, e.g. eu-rollout-batch-3")
        String name;
        @Option(names = "--max-uses", description = "How many devices may enrol with it (default: unlimited)")
        Integer maxUses;
        @Option(names = "--expires-at", description = "ISO-8601 instant (default: in 24 hours)")
        String expiresAt;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label for devices it enrols (repeatable)")
        Map<String, String> labels;

        @Override
        public Integer call() {
            Map<String, Object> body = body("name", name, "maxUses", maxUses, "expiresAt", expiresAt, "labels", labels);
            JsonNode t = api().post("/api/v1/bootstrap-tokens", body);
            return print(t, () -> {
                main().out.printf("Created bootstrap token %s, expires %s. Its secret, shown only now:%n",
                        t.path("id").asText(), t.path("expiresAt").asText());
                main().out.println(t.path("token").asText());
            });
        }
    }
}
