package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Tables for people, JSON for machines. */
final class Output {
    private Output() {
    }

    static void json(PrintStream out, JsonNode node) {
        try {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One row per item; each column is a header and a function of the item. */
    @SafeVarargs
    static void table(PrintStream out, List<JsonNode> items, List<String> headers, Function<JsonNode, String>... cols) {
        List<String[]> rows = new ArrayList<>();
        rows.add(headers.toArray(String[]::new));
        for (JsonNode item : items) {
            String[] row = new String[cols.length];
            for (int i = 0; i < cols.length; i++) {
                String v = cols[i].apply(item);
                row[i] = v == null || v.isEmpty() ? "-" : v;
            }
            rows.add(row);
        }
        int[] width = new int[cols.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** Key/value lines for one object. */
    static void fields(PrintStream out, String[][] pairs) {
        int w = 0;
        for (String[] p : pairs) {
            w = Math.max(w, p[0].length());
        }
        for (String[] p : pairs) {
            out.printf("%-" + (w + 1) + "s %s%n", p[0] + ":", p[1] == null || p[1].isEmpty() ? "-" : p[1]);
        }
    }

    /** {@code a=b,c=d} from a JSON object of strings. */
    static String labels(JsonNode labels) {
        List<String> parts = new ArrayList<>();
        labels.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(",", parts);
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "" : n.asText();
    }
}
