package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Base of commands that call the API: the shared context and the {@code --json} switch. */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the controller's JSON instead of a table.")
    boolean json;

    Main main() {
        return (Main) spec.root().userObject();
    }

    ApiClient api() {
        return main().client();
    }

    /** Follows {@code nextCursor} through every page of a list. */
    List<JsonNode> all(String path) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            String sep = path.contains("?") ? "&" : "?";
            JsonNode page = api().get(path + (cursor == null ? "" : sep + "cursor=" + ApiClient.enc(cursor)));
            page.path("items").forEach(items::add);
            cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return items;
    }

    /** A request body from alternating names and values, in order, leaving out the options not given (null). */
    static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                body.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return body;
    }

    Integer print(JsonNode node, Runnable table) {
        if (json) {
            Output.json(main().out, node);
        } else {
            table.run();
        }
        return ExitCodes.OK;
    }

    Integer printList(List<JsonNode> items, Runnable table) {
        return print(ApiClient.JSON.createObjectNode().set("items", ApiClient.JSON.valueToTree(items)), table);
    }
}
