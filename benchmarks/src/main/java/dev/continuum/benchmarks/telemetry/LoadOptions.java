package dev.continuum.benchmarks.telemetry;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Options of {@link TelemetryLoad}, as {@code --name value} pairs.
 *
 * @param mode        {@code controller}: devices publish telemetry and the controller's ingest is measured;
 *                    {@code broker}: the same publishers write to a topic only a counting subscriber reads
 * @param rate        messages per second over all publishers; 0 = as fast as the in-flight window allows
 */
record LoadOptions(String mode, String broker, int devices, int publishers, int inflight, Duration duration,
                   int models, double rate, String jdbc, String dbUser, String dbPassword, String metricsUrl,
                   Duration drainTimeout, boolean keep) {
    static final String USAGE = """
            usage: TelemetryLoad [--mode controller|broker] [--broker tcp://127.0.0.1:1883] [--devices 1000]
                                 [--publishers 20] [--inflight 50] [--seconds 30] [--models 2] [--rate 0]
                                 [--jdbc jdbc:postgresql://127.0.0.1:5432/continuum_bench] [--db-user postgres]
                                 [--db-password ""] [--metrics http://127.0.0.1:18080/q/metrics]
                                 [--drain-seconds 120] [--keep]
            """;

    static LoadOptions parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                keep = true;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                m.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
            }
        }
        LoadOptions o = new LoadOptions(m.getOrDefault("mode", "controller"), m.getOrDefault("broker", "tcp://127.0.0.1:1883"),
                positive(m, "devices", 1000), positive(m, "publishers", 20), positive(m, "inflight", 50),
                Duration.ofSeconds(positive(m, "seconds", 30)), positive(m, "models", 2),
                Double.parseDouble(m.getOrDefault("rate", "0")),
                m.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/continuum_bench"),
                m.getOrDefault("db-user", "postgres"), m.getOrDefault("db-password", ""),
                m.getOrDefault("metrics", "http://127.0.0.1:18080/q/metrics"),
                Duration.ofSeconds(positive(m, "drain-seconds", 120)), keep);
        if (!o.mode.equals("controller") && !o.mode.equals("broker")) {
            throw new IllegalArgumentException("--mode must be controller or broker, got '" + o.mode + "'");
        }
        if (o.publishers > o.devices && o.mode.equals("controller")) {
            throw new IllegalArgumentException("--publishers (" + o.publishers + ") must not exceed --devices ("
                    + o.devices + ")");
        }
        return o;
    }

    private static int positive(Map<String, String> m, String name, int def) {
        int v = Integer.parseInt(m.getOrDefault(name, Integer.toString(def)));
        if (v < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, got " + v);
        }
        return v;
    }
}
