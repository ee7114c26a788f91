package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", description = "Manage API tokens (admin).",
        subcommands = {TokensCommand.Create.class, TokensCommand.Revoke.class, TokensCommand.ListTokens.class})
final class TokensCommand {
    private TokensCommand() {
    }

    @Command(name = "create", description = "Create an API token; its secret is printed once.")
    static final class Create extends ApiCommand {
        @Option(names = "--role", required = true, description = "viewer, deployer, operator or admin")
        String role;
        @Option(names = "--name", required = true, description = "What the token is for, e.g. ci-main")
        String name;
        @Option(names = "--expires-at", description = "ISO-8601 instant, e.g. 2027-01-01T00:00:00Z")
        String expiresAt;

        @Override
        public Integer call() {
            Map<String, Object> body = body("name", name, "role", role, "expiresAt", expiresAt);
            JsonNode t = api().post("/api/v1/tokens", body);
            return print(t, () -> {
                main().out.printf("Created token %s (%s, role %s). Its secret, shown only now:%n",
                        t.path("id").asText(), name, t.path("role").asText());
                main().out.println(t.path("token").asText());
            });
        }
    }

    @Command(name = "revoke", description = "Revoke an API token by id.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode t = api().delete("/api/v1/tokens/" + ApiClient.enc(id));
            return print(t, () -> main().out.printf("Revoked token %s (%s)%n", id, t.path("name").asText()));
        }
    }

    @Command(name = "list", description = "List API tokens (never their secrets).")
    static final class ListTokens extends ApiCommand {
        @Override
        public Integer call() {
            List<JsonNode> items = all("/api/v1/tokens?limit=500");
            return printList(items, () -> Output.table(main().out, items,
                    List.of("ID", "NAME", "ROLE", "CREATED", "EXPIRES", "REVOKED", "LAST USED"),
                    t -> t.path("id").asText(), t -> t.path("name").asText(), t -> t.path("role").asText(),
                    t -> Output.text(t.path("createdAt")), t -> Output.text(t.path("expiresAt")),
                    t -> Output.text(t.path("revokedAt")), t -> Output.text(t.path("lastUsedAt"))));
        }
    }
}
