package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "aliases", description = "Point aliases such as production or canary at versions.",
        subcommands = {AliasesCommand.Set.class, AliasesCommand.ListAliases.class})
final class AliasesCommand {
    private AliasesCommand() {
    }

    @Command(name = "set", description = "Point ALIAS of MODEL at VERSION (creates or moves it).")
    static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Parameters(index = "2", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() {
            JsonNode a = api().put("/api/v1/models/" + ApiClient.enc(model) + "/aliases/" + ApiClient.enc(alias),
                    Map.of("version", version));
            return print(a, () -> main().out.printf("%s:%s -> %s%n", model, alias, a.path("version").asText()));
        }
    }

    @Command(name = "list", description = "List the aliases of MODEL.")
    static final class ListAliases extends ApiCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Override
        public Integer call() {
            List<JsonNode> items = all("/api/v1/models/" + ApiClient.enc(model) + "/aliases");
            return printList(items, () -> Output.table(main().out, items, List.of("ALIAS", "VERSION", "UPDATED", "BY"),
                    a -> a.path("alias").asText(), a -> a.path("version").asText(), a -> a.path("updatedAt").asText(),
                    a -> Output.text(a.path("updatedBy"))));
        }
    }
}
