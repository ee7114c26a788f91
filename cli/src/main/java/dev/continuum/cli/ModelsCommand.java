package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "models", description = "Publish and inspect model versions.",
        subcommands = {ModelsCommand.Push.class, ModelsCommand.ListModels.class, ModelsCommand.Show.class})
final class ModelsCommand {
    private ModelsCommand() {
    }

    @Command(name = "push", description = "Publish FILE as VERSION of model NAME; prints its sha256.")
    static final class Push extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;
        @Parameters(index = "2", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.USAGE, "no such file: " + file);
            }
            long size = Files.size(file);
            LongConsumer progress = main().interactive && !json ? ApiClient.progressBar(main().err, size) : n -> { };
            JsonNode v = api().putFile("/api/v1/models/" + ApiClient.enc(name) + "/versions/" + ApiClient.enc(version),
                    file, progress);
            return print(v, () -> {
                main().out.printf("Published %s:%s (%,d bytes, opset %d, %,d parameters, %,d FLOPs)%n", name, version,
                        v.path("sizeBytes").asLong(), v.path("opset").asInt(), v.path("parameters").asLong(),
                        v.path("flops").asLong());
                main().out.println("sha256: " + v.path("sha256").asText());
            });
        }
    }

    @Command(name = "list", description = "List models.")
    static final class ListModels extends ApiCommand {
        @Override
        public Integer call() {
            List<JsonNode> items = all("/api/v1/models?limit=500");
            return printList(items, () -> Output.table(main().out, items,
                    List.of("NAME", "VERSIONS", "LATEST", "ALIASES", "LABELS"),
                    m -> m.path("name").asText(), m -> m.path("versionCount").asText(),
                    m -> Output.text(m.path("latestVersion")), m -> Output.labels(m.path("aliases")),
                    m -> Output.labels(m.path("labels"))));
        }
    }

    @Command(name = "show", description = "Show a model and its versions, or one version with its signature.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1")
        String version;

        @Override
        public Integer call() {
            String base = "/api/v1/models/" + ApiClient.enc(name);
            if (version == null) {
                JsonNode m = api().get(base);
                List<JsonNode> versions = all(base + "/versions?limit=500");
                if (json) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) m).set("versions",
                            ApiClient.JSON.valueToTree(versions));
                }
                return print(m, () -> {
                    Output.fields(main().out, new String[][] {{"Name", m.path("name").asText()},
                            {"Description", Output.text(m.path("description"))},
                            {"Labels", Output.labels(m.path("labels"))}, {"Aliases", Output.labels(m.path("aliases"))}});
                    main().out.println();
                    Output.table(main().out, versions, List.of("VERSION", "SHA256", "SIZE", "OPSET", "PARAMETERS", "CREATED"),
                            v -> v.path("version").asText(), v -> v.path("sha256").asText().substring(0, 12),
                            v -> v.path("sizeBytes").asText(), v -> v.path("opset").asText(),
                            v -> v.path("parameters").asText(), v -> v.path("createdAt").asText());
                });
            }
            JsonNode v = api().get(base + "/versions/" + ApiClient.enc(version));
            return print(v, () -> {
                Output.fields(main().out, new String[][] {{"Model", v.path("model").asText()},
                        {"Version", v.path("version").asText()}, {"sha256", v.path("sha256").asText()},
                        {"Size", v.path("sizeBytes").asText() + " bytes"}, {"Opset", v.path("opset").asText()},
                        {"Parameters", v.path("parameters").asText()}, {"FLOPs", v.path("flops").asText()},
                        {"Ops", String.join(",", ApiClient.JSON.convertValue(v.path("opTypes"), String[].class))},
                        {"Aliases", String.join(",", ApiClient.JSON.convertValue(v.path("aliases"), String[].class))},
                        {"Created", v.path("createdAt").asText() + " by " + Output.text(v.path("createdBy"))}});
                for (String side : new String[] {"inputs", "outputs"}) {
                    main().out.println();
                    Output.table(main().out, list(v.path(side)), List.of(side.toUpperCase(), "DTYPE", "SHAPE"),
                            t -> t.path("name").asText(), t -> t.path("dtype").asText(), t -> t.path("shapeText").asText());
                }
            });
        }

        private static List<JsonNode> list(JsonNode array) {
            java.util.ArrayList<JsonNode> l = new java.util.ArrayList<>();
            array.forEach(l::add);
            return l;
        }
    }
}
