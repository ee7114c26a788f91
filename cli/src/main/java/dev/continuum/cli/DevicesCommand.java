package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "devices", description = "Query the device fleet.", subcommands = DevicesCommand.ListDevices.class)
final class DevicesCommand {
    private DevicesCommand() {
    }

    @Command(name = "list", description = "List devices, optionally by label selector.")
    static final class ListDevices extends ApiCommand {
        @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
                description = "Label selector, e.g. 'region=eu,tier in (gold,silver),!decommissioned'")
        String selector;

        @Override
        public Integer call() {
            String path = "/api/v1/devices?limit=500" + (selector == null ? "" : "&selector=" + ApiClient.enc(selector));
            List<JsonNode> items = all(path);
            return printList(items, () -> Output.table(main().out, items,
                    List.of("ID", "NAME", "LABELS", "CORES", "ARCH", "LAST SEEN"),
                    d -> d.path("id").asText(), d -> d.path("name").asText(), d -> Output.labels(d.path("labels")),
                    d -> Output.text(d.path("capabilities").path("cores")),
                    d -> Output.text(d.path("capabilities").path("architecture")),
                    d -> Output.text(d.path("status").path("lastSeenAt"))));
        }
    }
}
