package dev.continuum.controller.rollout;

import dev.continuum.controller.rollout.Strategy.Gates;
import java.util.List;
import java.util.Locale;

/** Judges a wave's telemetry against the rollout's gates. */
final class HealthGate {
    enum Verdict { PASS, WAIT, FAIL }

    record Result(Verdict verdict, String reason) {
        boolean passed() {
            return verdict == Verdict.PASS;
        }
    }

    private HealthGate() {
    }

    /**
     * FAIL when more devices failed to install than allowed, or — once there are at least {@code minRequests}
     * requests — when the error rate or (if {@code judgeLatency}) the p95 exceeds its gate; WAIT while requests
     * are fewer than {@code minRequests}; PASS otherwise. Without {@code judgeLatency} a PASS says nothing about
     * the p95.
     */
    static Result evaluate(Gates gates, double budgetMillis, HealthStats stats, List<String> failedDevices,
                           String version, boolean judgeLatency) {
        if (failedDevices.size() > gates.maxFailedDevices()) {
            return new Result(Verdict.FAIL, failedDevices.size() + " device(s) report " + version + " FAILED ("
                    + String.join(", ", failedDevices.stream().limit(10).toList())
                    + (failedDevices.size() > 10 ? ", ..." : "") + "); at most " + gates.maxFailedDevices()
                    + " allowed");
        }
        if (stats.requests() < gates.minRequests()) {
            return new Result(Verdict.WAIT, "health gate waiting for " + gates.minRequests() + " requests, "
                    + stats.requests() + " so far");
        }
        double limitMillis = budgetMillis * gates.maxP95BudgetMultiple();
        String limit = num(limitMillis) + " ms" + (gates.maxP95BudgetMultiple() == 1.0 ? " (the budget)"
                : " (budget " + num(budgetMillis) + " ms × " + num(gates.maxP95BudgetMultiple()) + ")");
        double errorRate = stats.requests() == 0 ? 0 : (double) stats.errors() / stats.requests();
        String errors = "error rate " + pct(errorRate) + " (" + stats.errors() + " of " + stats.requests()
                + " requests)";
        if (errorRate > gates.maxErrorRate()) {
            return new Result(Verdict.FAIL, errors + " > " + pct(gates.maxErrorRate()));
        }
        if (judgeLatency && stats.p95Micros() != null && stats.p95Micros() / 1000.0 > limitMillis) {
            return new Result(Verdict.FAIL, "p95 " + one(stats.p95Micros() / 1000.0) + " ms > " + limit);
        }
        String p95 = stats.p95Micros() == null ? "no p95 yet"
                : "p95 " + one(stats.p95Micros() / 1000.0) + " ms ≤ " + limit;
        return new Result(Verdict.PASS, errors + " ≤ " + pct(gates.maxErrorRate()) + ", " + p95);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static String one(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
