package dev.continuum.controller.rollout.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.rollout.RolloutSpec;
import dev.continuum.controller.rollout.Strategy;
import dev.continuum.controller.rollout.Strategy.Gates;
import dev.continuum.controller.rollout.Strategy.Wave;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Body of {@code POST /api/v1/rollouts}. Everything but model, version (or alias), selector and budget is
 * optional and defaults as documented in docs/controller/rollouts.md. Invalid values are refused naming the
 * field as sent: {@code waves[1]}, {@code gates.maxErrorRate}, {@code bakeSeconds}.
 */
public record RolloutRequest(String model, String version, String alias, String selector, Double budgetMillis,
                             String preference, List<JsonNode> waves, Double bakeSeconds, GatesRequest gates,
                             Integer maxInFlight, Double progressDeadlineSeconds) {

    /** Health gates; each field optional. */
    public record GatesRequest(Double maxErrorRate, Double maxP95BudgetMultiple, Long minRequests,
                               Integer maxFailedDevices) {
    }

    RolloutSpec spec() {
        return new RolloutSpec(model, version, alias, selector, budgetMillis, preference(preference), strategy());
    }

    private Strategy strategy() {
        Strategy d = Strategy.defaults();
        try {
            GatesRequest g = gates == null ? new GatesRequest(null, null, null, null) : gates;
            Gates dg = d.gates();
            Gates parsedGates = new Gates(or(g.maxErrorRate(), dg.maxErrorRate()),
                    or(g.maxP95BudgetMultiple(), dg.maxP95BudgetMultiple()), or(g.minRequests(), dg.minRequests()),
                    or(g.maxFailedDevices(), dg.maxFailedDevices()));
            return new Strategy(waves == null ? d.waves() : waves(waves),
                    bakeSeconds == null ? d.bakeTime() : seconds("bakeSeconds", bakeSeconds, true), parsedGates,
                    or(maxInFlight, d.maxInFlight()), progressDeadlineSeconds == null ? d.progressDeadline()
                            : seconds("progressDeadlineSeconds", progressDeadlineSeconds, false));
        } catch (InvalidInputException e) {
            throw renamed(e);
        }
    }

    private static List<Wave> waves(List<JsonNode> nodes) {
        List<Wave> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            String field = "waves[" + i + "]";
            try {
                if (n != null && n.isTextual()) {
                    out.add(Wave.parse(n.asText().trim()));
                } else if (n != null && n.isIntegralNumber() && n.canConvertToInt()) {
                    out.add(Wave.count(n.asInt()));
                } else {
                    throw new InvalidInputException(field, "expected a percentage such as \"10%\" or a device count "
                            + "such as 5, got " + n);
                }
            } catch (InvalidInputException e) {
                throw new InvalidInputException(field, e.getMessage());
            }
        }
        return out;
    }

    private static Duration seconds(String field, double seconds, boolean zeroAllowed) {
        if (!(seconds >= 0) || Double.isInfinite(seconds) || (!zeroAllowed && seconds == 0) || seconds > 365 * 86400.0) {
            throw new InvalidInputException(field, field + " must be " + (zeroAllowed ? "zero or positive" : "positive")
                    + " (at most a year), got " + seconds);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static PlacementPreference preference(String p) {
        if (p == null) {
            return null;
        }
        return switch (p.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "edge-first" -> PlacementPreference.EDGE_FIRST;
            case "cloud-first" -> PlacementPreference.CLOUD_FIRST;
            default -> throw new InvalidInputException("preference", "preference must be 'edge-first' or "
                    + "'cloud-first', got '" + p + "'");
        };
    }

    /** The core names fields after its own records ({@code strategy.gates.maxErrorRate}); the API after the body. */
    private static InvalidInputException renamed(InvalidInputException e) {
        String f = e.field();
        if (f == null || !f.startsWith("strategy.")) {
            return e;
        }
        String field = switch (f) {
            case "strategy.bakeTime" -> "bakeSeconds";
            case "strategy.progressDeadline" -> "progressDeadlineSeconds";
            default -> f.substring("strategy.".length());
        };
        return new InvalidInputException(field, e.getMessage());
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
