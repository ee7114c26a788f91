package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The demo's periodic report: the rollout's progress, each device's placement and its latencies. */
final class DemoReport {
    private DemoReport() {
    }

    static void print(PrintStream out, ApiClient api, String rolloutId, String model, List<String> deviceNames,
                      List<Double> slowdowns, List<DemoTraffic> traffic, long elapsedSeconds) {
        out.println();
        out.printf("== t+%ds%n", elapsedSeconds);
        try {
            JsonNode r = api.get("/api/v1/rollouts/" + ApiClient.enc(rolloutId));
            out.printf("rollout %s  %s %s  state %s%n", rolloutId, r.path("model").asText(), r.path("version").asText(),
                    r.path("state").asText());
            for (JsonNode w : r.path("waves")) {
                out.printf("  wave %d  %-9s devices %d  updated %d  healthy %d  failed %d%n", w.path("index").asInt() + 1,
                        w.path("state").asText(), w.path("targeted").asInt(), w.path("updated").asInt(),
                        w.path("healthy").asInt(), w.path("failed").asInt());
            }
        } catch (CliException e) {
            out.println("rollout: " + e.getMessage());
        }
        Map<String, JsonNode> placements = new HashMap<>();
        try {
            for (JsonNode p : api.get("/api/v1/placements?model=" + ApiClient.enc(model)).path("items")) {
                placements.put(p.path("deviceName").asText(p.path("device").asText()), p);
            }
        } catch (CliException e) {
            out.println("placements: " + e.getMessage());
        }
        out.printf("%-12s %-12s %-9s %-10s %-10s %-15s %-9s %-6s %s%n", "DEVICE", "SPEED", "PLACEMENT", "EDGE P95",
                "CLOUD P95", "CLIENT P50/P95", "REQUESTS", "ERRORS", "REASON");
        for (int i = 0; i < deviceNames.size(); i++) {
            JsonNode p = placements.getOrDefault(deviceNames.get(i), ApiClient.JSON.nullNode());
            DemoTraffic.Stats s = traffic.get(i).stats();
            out.printf("%-12s %-12s %-9s %-10s %-10s %-15s %-9d %-6d %s%n", deviceNames.get(i),
                    "x" + fmt(slowdowns.get(i)) + " slower", p.path("placement").asText("-").toLowerCase(),
                    millis(p.path("edgeP95Millis")), millis(p.path("cloudP95Millis")),
                    Double.isNaN(s.p50Millis()) ? "-" : String.format("%.2f/%.2f ms", s.p50Millis(), s.p95Millis()),
                    s.requests(), s.errors(), p.path("reason").asText(s.lastError() == null ? "" : s.lastError()));
        }
    }

    private static String millis(JsonNode n) {
        return n.isNumber() ? String.format("%.2f ms", n.asDouble()) : "-";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
