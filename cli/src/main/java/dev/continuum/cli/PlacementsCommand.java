package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum placements [--device D] [--model M]}, {@code placements pin|unpin|history}. */
@Command(name = "placements", description = "Where each model runs on each device (edge or cloud) and why.",
        subcommands = {PlacementsCommand.Pin.class, PlacementsCommand.Unpin.class, PlacementsCommand.History.class})
final class PlacementsCommand extends ApiCommand {
    static final String PLACEMENTS = "/api/v1/placements";

    @Option(names = "--device", description = "Only this device (id)")
    String device;

    @Option(names = "--model", description = "Only this model")
    String model;

    @Override
    public Integer call() {
        String path = PLACEMENTS + "?limit=500" + (device == null ? "" : "&device=" + ApiClient.enc(device))
                + (model == null ? "" : "&model=" + ApiClient.enc(model));
        List<JsonNode> items = all(path);
        return printList(items, () -> table(main(), items));
    }

    static void table(Main main, List<JsonNode> items) {
        Output.table(main.out, items, List.of("DEVICE", "MODEL", "VERSION", "PLACEMENT", "EDGE P95", "CLOUD P95", "REASON"),
                p -> p.path("device").asText(), p -> p.path("model").asText(), p -> p.path("version").asText(),
                PlacementsCommand::placement, p -> millis(p.path("edgeP95Millis")), p -> millis(p.path("cloudP95Millis")),
                p -> p.path("reason").asText());
    }

    /** "edge", "cloud (pinned)", "cloud (violates budget)". */
    static String placement(JsonNode p) {
        String site = p.path("placement").asText().toLowerCase(Locale.ROOT);
        if (p.path("pinned").asBoolean()) {
            return site + " (pinned)";
        }
        return p.path("violatesBudget").asBoolean() ? site + " (violates budget)" : site;
    }

    static String millis(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f ms", n.asDouble()) : "";
    }

    @Command(name = "pin", description = "Pin MODEL on DEVICE to edge or cloud, whatever the budget says.")
    static final class Pin extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;
        @Parameters(index = "1", paramLabel = "MODEL")
        String model;
        @Parameters(index = "2", paramLabel = "edge|cloud")
        String placement;

        @Override
        public Integer call() {
            JsonNode r = api().put(path(device, model) + "/pin", Map.of("placement", placement));
            return print(r, () -> pinned(main(), r));
        }
    }

    @Command(name = "unpin", description = "Remove the pin of MODEL on DEVICE: the budget decides again.")
    static final class Unpin extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;
        @Parameters(index = "1", paramLabel = "MODEL")
        String model;

        @Override
        public Integer call() {
            JsonNode r = api().delete(path(device, model) + "/pin");
            return print(r, () -> pinned(main(), r));
        }
    }

    @Command(name = "history", description = "The placement decisions kept for MODEL on DEVICE, newest first.")
    static final class History extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;
        @Parameters(index = "1", paramLabel = "MODEL")
        String model;

        @Override
        public Integer call() {
            List<JsonNode> items = new java.util.ArrayList<>();
            api().get(path(device, model) + "/history").path("items").forEach(items::add);
            return printList(items, () -> Output.table(main().out, items,
                    List.of("DECIDED", "VERSION", "PLACEMENT", "EDGE P95", "CLOUD P95", "REASON"),
                    d -> d.path("decidedAt").asText(), d -> d.path("version").asText(), PlacementsCommand::placement,
                    d -> millis(d.path("edgeP95Millis")), d -> millis(d.path("cloudP95Millis")),
                    d -> d.path("reason").asText()));
        }
    }

    private static String path(String device, String model) {
        return PLACEMENTS + "/" + ApiClient.enc(device) + "/" + ApiClient.enc(model);
    }

    private static void pinned(Main main, JsonNode r) {
        String pin = r.hasNonNull("pinned") ? "pinned to " + r.get("pinned").asText().toLowerCase(Locale.ROOT)
                : "not pinned";
        main.out.printf("%s on %s: %s%n", r.path("model").asText(), r.path("device").asText(), pin);
        if (r.hasNonNull("placement")) {
            table(main, List.of(r.get("placement")));
        }
    }
}
