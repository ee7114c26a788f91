package dev.continuum.simulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * How often a simulated request fails: {@code baseErrorRate} for every model version, or the rate
 * given for a bad version ({@code --bad-version lenet:2.0.0=0.5}: half the requests to lenet 2.0.0
 * fail).
 */
public record FailureModel(double baseErrorRate, Map<String, Double> badVersions) {
    public FailureModel {
        rate("--error-rate", baseErrorRate);
        badVersions = Map.copyOf(badVersions);
        badVersions.forEach((k, v) -> rate("--bad-version " + k, v));
    }

    public static FailureModel none() {
        return new FailureModel(0, Map.of());
    }

    /** The error rate of one model version. */
    public double errorRate(String model, String version) {
        return badVersions.getOrDefault(model + ":" + version, baseErrorRate);
    }

    /** Adds {@code MODEL:VERSION=RATE}; the rate defaults to 1 (every request fails). */
    public FailureModel withBadVersion(String spec) {
        int colon = spec.indexOf(':');
        int eq = spec.lastIndexOf('=');
        String key = eq < 0 ? spec.trim() : spec.substring(0, eq).trim();
        if (colon <= 0 || colon >= key.length() - 1) {
            throw new IllegalArgumentException("--bad-version: expected MODEL:VERSION=RATE such as lenet:2.0.0=0.5, got '"
                    + spec + "'");
        }
        double rate;
        try {
            rate = eq < 0 ? 1 : Double.parseDouble(spec.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bad-version " + key + ": expected a rate from 0 to 1, got '"
                    + spec.substring(eq + 1) + "'");
        }
        Map<String, Double> m = new TreeMap<>(badVersions);
        m.put(key, rate);
        return new FailureModel(baseErrorRate, m);
    }

    private static void rate(String option, double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(option + ": expected a rate from 0 to 1, got " + r);
        }
    }
}
