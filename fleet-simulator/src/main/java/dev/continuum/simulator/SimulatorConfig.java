package dev.continuum.simulator;

import dev.continuum.agent.AgentConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code continuum simulate} runs: how many devices, how they enrol, how fast they are, what
 * traffic they see and how it fails.
 *
 * @param devices          simulated devices
 * @param rate             requests per second per device, spread over the models it serves
 * @param slowdown         each device's slowdown against the reference throughput, spread evenly over the devices
 * @param rttMillis        each device's extra round trip to the cloud, spread evenly (in reverse, so the slowest
 *                         devices are not also the farthest)
 * @param failures         error rates, per model version
 * @param latency          how latency is made up
 * @param connections      gRPC connections to the controller the devices share (1..devices)
 * @param telemetryDevices devices that publish MQTT telemetry (the first ones); the others only count
 * @param forwardEvery     every Nth request of a model placed in the cloud is really forwarded to the
 *                         controller's OIP endpoint (0: none; the latency is modelled)
 * @param ramp             devices started per second
 * @param duration         stop after this long (null: until interrupted)
 */
public record SimulatorConfig(URI controller, String bootstrapToken, int devices, Map<String, String> labels,
                              double rate, Range slowdown, Range rttMillis, FailureModel failures,
                              LatencyModel latency, Path dataDir, String namePrefix, int connections,
                              int telemetryDevices, URI telemetryBroker, Duration telemetryInterval, int forwardEvery,
                              double ramp, Duration heartbeat, Duration statusInterval, Duration duration) {
    public SimulatorConfig {
        Objects.requireNonNull(controller, "--controller");
        if (devices < 1) {
            throw new IllegalArgumentException("--devices: expected at least 1, got " + devices);
        }
        if (!(rate >= 0)) {
            throw new IllegalArgumentException("--rate: expected requests per second per device, 0 or more, got " + rate);
        }
        if (slowdown.min() < 1) {
            throw new IllegalArgumentException("--slowdown-spread: expected factors of at least 1, got " + slowdown);
        }
        if (rttMillis.min() < 0) {
            throw new IllegalArgumentException("--rtt-millis: expected milliseconds, 0 or more, got " + rttMillis);
        }
        if (connections < 1 || connections > devices) {
            throw new IllegalArgumentException("--connections: expected 1 to " + devices + " (the devices), got " + connections);
        }
        if (telemetryDevices < 0 || forwardEvery < 0 || !(ramp > 0)) {
            throw new IllegalArgumentException("--telemetry-devices and --forward-every must not be negative and --ramp "
                    + "must be positive; got " + telemetryDevices + ", " + forwardEvery + ", " + ramp);
        }
        telemetryDevices = Math.min(telemetryDevices, devices);
        labels = Map.copyOf(labels);
    }

    /** The name of device {@code index}: {@code sim-0007}. */
    public String deviceName(int index) {
        return String.format(Locale.ROOT, "%s-%04d", namePrefix, index);
    }

    /** The agent configuration of device {@code index}: its own data directory, the fleet's controller and labels. */
    public AgentConfig agentConfig(int index) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("controller", controller.toString());
        if (bootstrapToken != null) {
            m.put("bootstrap-token", bootstrapToken);
        }
        m.put("name", deviceName(index));
        m.put("labels", String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        m.put("data-dir", dataDir.resolve("devices").resolve(deviceName(index)).toString());
        m.put("heartbeat-interval", String.valueOf(heartbeat.toMillis() / 1000.0));
        m.put("reconnect-min", "1");
        m.put("reconnect-max", "30");
        if (telemetryBroker != null) {
            m.put("telemetry-broker", telemetryBroker.toString());
        }
        if (telemetryInterval != null) {
            m.put("telemetry-interval", telemetryInterval.toMillis() + "ms");
        }
        return AgentConfig.fromMap(m).withEmulateSlowdown(slowdownOf(index));
    }

    public double slowdownOf(int index) {
        return slowdown.spread(index, devices);
    }

    public long rttMicrosOf(int index) {
        return Math.round(rttMillis.spread(devices - 1 - index, devices) * 1000);
    }

    /** Parses the command line ({@code --key value} or {@code --key=value}; {@code --bad-version} may repeat). */
    public static SimulatorConfig parse(List<String> args, double measuredGflops) {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'; options are --key value");
            }
            int eq = a.indexOf('=');
            String key = eq > 0 ? a.substring(2, eq) : a.substring(2);
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; expected one of "
                        + OPTIONS.stream().map(k -> "--" + k).toList());
            }
            String value;
            if (eq > 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
            if (key.equals("bad-version")) {
                bad.add(value);
            } else {
                o.put(key, value);
            }
        }
        return fromOptions(o, bad, measuredGflops);
    }

    static final List<String> OPTIONS = List.of("controller", "bootstrap-token", "devices", "labels", "rate",
            "slowdown-spread", "rtt-millis", "bad-version", "error-rate", "data-dir", "name-prefix", "connections",
            "telemetry-devices", "telemetry-broker", "telemetry-interval", "forward-every", "ramp", "heartbeat-interval",
            "status-interval", "duration", "reference-gflops", "cloud-gflops", "base-latency-micros", "noise");

    private static SimulatorConfig fromOptions(Map<String, String> o, List<String> bad, double measuredGflops) {
        String controller = o.get("controller");
        if (controller == null || controller.isBlank()) {
            throw new IllegalArgumentException("--controller: required (the controller's base URL, http://host:port)");
        }
        int devices = integer(o, "devices", 10);
        FailureModel failures = new FailureModel(number(o, "error-rate", 0), Map.of());
        for (String b : bad) {
            failures = failures.withBadVersion(b);
        }
        LatencyModel latency = new LatencyModel(number(o, "reference-gflops", measuredGflops), number(o, "cloud-gflops", 50),
                (long) number(o, "base-latency-micros", 1000), number(o, "noise", 0.1));
        return new SimulatorConfig(URI.create(controller.trim()), o.get("bootstrap-token"), devices,
                AgentConfig.parseLabels(o.getOrDefault("labels", "")), number(o, "rate", 1),
                Range.parse("--slowdown-spread", o.getOrDefault("slowdown-spread", "1")),
                Range.parse("--rtt-millis", o.getOrDefault("rtt-millis", "10")), failures, latency,
                Path.of(o.getOrDefault("data-dir", "./sim-data")), o.getOrDefault("name-prefix", "sim"),
                integer(o, "connections", Math.max(1, devices / 100)), integer(o, "telemetry-devices", devices),
                o.containsKey("telemetry-broker") ? URI.create(o.get("telemetry-broker")) : null,
                o.containsKey("telemetry-interval") ? seconds(o, "telemetry-interval", 5) : null,
                integer(o, "forward-every", 0), number(o, "ramp", 50), seconds(o, "heartbeat-interval", 15),
                seconds(o, "status-interval", 5), o.containsKey("duration") ? seconds(o, "duration", 0) : null);
    }

    private static int integer(Map<String, String> o, String key, int def) {
        String v = o.get(key);
        try {
            return v == null ? def : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": expected an integer, got '" + v + "'");
        }
    }

    private static double number(Map<String, String> o, String key, double def) {
        String v = o.get(key);
        try {
            return v == null ? def : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": expected a number, got '" + v + "'");
        }
    }

    /** Seconds, or a number with {@code ms}, {@code s}, {@code m}, {@code h}. */
    private static Duration seconds(Map<String, String> o, String key, double def) {
        String v = o.get(key);
        if (v == null) {
            return Duration.ofMillis(Math.round(def * 1000));
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        for (String[] u : new String[][] {{"ms", "0.001"}, {"s", "1"}, {"m", "60"}, {"h", "3600"}}) {
            if (t.endsWith(u[0])) {
                unit = Double.parseDouble(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            double s = Double.parseDouble(t.trim()) * unit;
            if (!(s > 0)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": expected a positive duration such as 500ms, 5s or 2m, got '"
                    + v + "'");
        }
    }
}
