package dev.continuum.controller.placement.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.placement.Outcome;
import dev.continuum.controller.placement.persistence.PlacementDecisionEntity;
import dev.continuum.controller.placement.persistence.PlacementEntity;
import java.time.Instant;
import java.util.List;

/** Placement's JSON representations. */
public final class PlacementViews {
    private PlacementViews() {
    }

    /**
     * The current placement of a model on a device and why.
     *
     * @param placement       EDGE or CLOUD
     * @param outcome         MEETS_BUDGET, VIOLATES_BUDGET, NO_ESTIMATE or PINNED
     * @param violatesBudget  the chosen site's p95 exceeds the budget
     * @param inputs          every number the decision rests on (budget, model cost, device signals, measured edge
     *                        p95, cloud statistics)
     * @param edge            the edge estimate: p95Millis, basis (MEASURED, ESTIMATED, UNKNOWN), efficiency
     * @param cloud           the cloud estimate: p95Millis and its parts
     * @param pinned          an operator pinned the model on this device
     */
    public record PlacementView(String device, String deviceName, String model, String version, String placement,
                                String outcome, boolean violatesBudget, double budgetMillis, String preference,
                                Double edgeP95Millis, Double cloudP95Millis, String reason, JsonNode inputs,
                                JsonNode edge, JsonNode cloud, List<String> assumptions, String ruleSite,
                                String previousSite, Instant decidedAt, boolean pinned) {
    }

    /** One decision of the history. */
    public record DecisionView(String device, String model, String version, String placement, String outcome,
                               boolean violatesBudget, double budgetMillis, Double edgeP95Millis, Double cloudP95Millis,
                               String reason, JsonNode inputs, JsonNode edge, JsonNode cloud, List<String> assumptions,
                               Instant decidedAt, boolean pinned) {
    }

    /** The answer to a pin or unpin: the pin now, and the placement as re-evaluated (null when none exists). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PinView(String device, String model, String pinned, PlacementView placement) {
    }

    static PlacementView of(PlacementEntity p, String deviceName) {
        JsonNode d = Json.read(p.decisionJson, new TypeReference<JsonNode>() { });
        return new PlacementView(p.deviceId, deviceName, p.model, p.version, p.site, p.outcome,
                p.outcome.equals(Outcome.VIOLATES_BUDGET.name()), p.budgetMillis, wire(p.preference), p.edgeP95Millis,
                p.cloudP95Millis, p.reason, d.path("inputs"), d.path("edge"), d.path("cloud"), assumptions(d),
                text(d.path("ruleSite")), text(d.path("previousSite")), p.decidedAt,
                p.outcome.equals(Outcome.PINNED.name()));
    }

    static DecisionView of(PlacementDecisionEntity h) {
        JsonNode d = Json.read(h.decisionJson, new TypeReference<JsonNode>() { });
        return new DecisionView(h.deviceId, h.model, h.version, h.site, h.outcome,
                h.outcome.equals(Outcome.VIOLATES_BUDGET.name()), d.path("inputs").path("budgetMillis").asDouble(),
                number(d.path("edge").path("p95Millis")), number(d.path("cloud").path("p95Millis")), h.reason,
                d.path("inputs"), d.path("edge"), d.path("cloud"), assumptions(d), h.decidedAt,
                h.outcome.equals(Outcome.PINNED.name()));
    }

    /** EDGE_FIRST → edge-first. */
    public static String wire(String preference) {
        return preference.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static List<String> assumptions(JsonNode d) {
        return d.path("assumptions").isArray() ? Json.read(d.path("assumptions").toString(),
                new TypeReference<List<String>>() { }) : List.of();
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }
}
