package dev.continuum.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The agent's whole configuration, typed and validated once. Sources, each overriding the one
 * before: defaults, a properties file ({@code --config FILE} or {@code CONTINUUM_AGENT_CONFIG}),
 * environment variables ({@code CONTINUUM_AGENT_<KEY>}, key upper-cased with {@code -} as
 * {@code _}), command-line options ({@code --<key> value} or {@code --<key>=value}).
 *
 * @param controller      the controller's base URL, {@code http://} (plaintext) or {@code https://} (TLS)
 * @param bootstrapToken  enrolment token; only needed until the agent has enrolled once
 * @param name            device name shown in the fleet
 * @param labels          labels the device asks for at enrolment
 * @param dataDir         credential, desired state, downloads and installed models
 * @param bind            address the local inference APIs listen on
 * @param httpPort        OIP v2 REST port; 0 picks a free port
 * @param grpcPort        OIP v2 gRPC port; 0 picks a free port, -1 disables it
 * @param engineThreads   threads one inference may use
 * @param heartbeat       interval of heartbeats on the sync stream
 * @param reconnectMin    first reconnect delay (before jitter)
 * @param reconnectMax    largest reconnect delay
 * @param chunkSizeBytes  preferred artifact chunk size
 * @param telemetryBroker MQTT broker for telemetry ({@code tcp://} or {@code ssl://}); null: the one the
 *                        controller names at enrolment and in the desired state
 * @param telemetryInterval how often a telemetry batch is built; null: the controller's, else 5 s
 * @param outboxMaxBytes  bound of the telemetry outbox on disk; the oldest batches are dropped beyond it
 * @param outboxMaxAge    batches older than this are dropped from the outbox unsent
 * @param emulateSlowdown every local inference is stretched to this many times its measured time (1 = off);
 *                        the device profile and the post-install latency probe report the slowed figures
 * @param offloadConnectTimeout longest wait for a connection to the controller when forwarding a request
 * @param offloadTimeout  longest wait for the controller's answer to a forwarded request
 * @param offloadFallback whether models placed in the cloud are also installed and loaded locally, so a
 *                        request runs on the device when the controller is unreachable
 */
public record AgentConfig(URI controller, String bootstrapToken, String name, Map<String, String> labels,
                          Path dataDir, String bind, int httpPort, int grpcPort, int engineThreads,
                          Duration heartbeat, Duration reconnectMin, Duration reconnectMax, int chunkSizeBytes,
                          URI telemetryBroker, Duration telemetryInterval, long outboxMaxBytes, Duration outboxMaxAge,
                          double emulateSlowdown, Duration offloadConnectTimeout, Duration offloadTimeout,
                          boolean offloadFallback) {
    /** Every key the sources may set. */
    public static final List<String> KEYS = List.of("controller", "bootstrap-token", "name", "labels", "data-dir",
            "bind", "http-port", "grpc-port", "engine-threads", "heartbeat-interval", "reconnect-min",
            "reconnect-max", "chunk-size", "telemetry-broker", "telemetry-interval", "outbox-max-bytes",
            "outbox-max-age", "emulate-slowdown", "offload-connect-timeout", "offload-timeout", "offload-fallback");
    /** Bounds of {@code telemetry-interval}. */
    static final Duration MIN_TELEMETRY_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_TELEMETRY_INTERVAL = Duration.ofHours(1);
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9./_-]{0,252}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

    public AgentConfig {
        Objects.requireNonNull(controller, "controller");
        String scheme = controller.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || controller.getHost() == null) {
            throw new IllegalArgumentException("controller: expected an http:// or https:// URL with a host, got '"
                    + controller + "'");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name: expected 1 to 200 characters, got '" + name + "'");
        }
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        Objects.requireNonNull(dataDir, "data-dir");
        port("http-port", httpPort, false);
        port("grpc-port", grpcPort, true);
        if (engineThreads < 1) {
            throw new IllegalArgumentException("engine-threads: expected at least 1, got " + engineThreads);
        }
        positive("heartbeat-interval", heartbeat);
        positive("reconnect-min", reconnectMin);
        positive("reconnect-max", reconnectMax);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnect-max (" + reconnectMax + ") is below reconnect-min ("
                    + reconnectMin + ")");
        }
        if (chunkSizeBytes < 1024 || chunkSizeBytes > 1 << 20) {
            throw new IllegalArgumentException("chunk-size: expected 1K to 1M bytes, got " + chunkSizeBytes);
        }
        if (telemetryBroker != null) {
            checkBroker("telemetry-broker", telemetryBroker);
        }
        if (telemetryInterval != null && (telemetryInterval.compareTo(MIN_TELEMETRY_INTERVAL) < 0
                || telemetryInterval.compareTo(MAX_TELEMETRY_INTERVAL) > 0)) {
            throw new IllegalArgumentException("telemetry-interval: expected 0.1 s to 1 h, got " + telemetryInterval);
        }
        if (outboxMaxBytes < 1024) {
            throw new IllegalArgumentException("outbox-max-bytes: expected at least 1K, got " + outboxMaxBytes);
        }
        Objects.requireNonNull(outboxMaxAge, "outbox-max-age");
        positive("outbox-max-age", outboxMaxAge);
        if (!(emulateSlowdown >= 1) || Double.isInfinite(emulateSlowdown)) {
            throw new IllegalArgumentException("emulate-slowdown: expected a factor of at least 1 (1 = off), got "
                    + emulateSlowdown);
        }
        Objects.requireNonNull(offloadConnectTimeout, "offload-connect-timeout");
        Objects.requireNonNull(offloadTimeout, "offload-timeout");
        positive("offload-connect-timeout", offloadConnectTimeout);
        positive("offload-timeout", offloadTimeout);
    }

    /** The same configuration with another slowdown factor (the fleet simulator gives each device its own). */
    public AgentConfig withEmulateSlowdown(double factor) {
        return new AgentConfig(controller, bootstrapToken, name, labels, dataDir, bind, httpPort, grpcPort,
                engineThreads, heartbeat, reconnectMin, reconnectMax, chunkSizeBytes, telemetryBroker,
                telemetryInterval, outboxMaxBytes, outboxMaxAge, factor, offloadConnectTimeout, offloadTimeout,
                offloadFallback);
    }

    /**
     * Checks an MQTT broker URI, {@code tcp://host:port} or {@code ssl://host:port}.
     *
     * @throws IllegalArgumentException naming {@code key} and what is wrong
     */
    public static void checkBroker(String key, URI broker) {
        String scheme = broker.getScheme();
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme) || broker.getHost() == null || broker.getPort() < 1) {
            throw new IllegalArgumentException(key + ": expected tcp://host:port or ssl://host:port, got '" + broker + "'");
        }
    }

    /** The controller's gRPC target, {@code host:port} (default port 80 or 443). */
    public String controllerTarget() {
        int port = controller.getPort() > 0 ? controller.getPort() : "https".equals(controller.getScheme()) ? 443 : 80;
        return controller.getHost() + ":" + port;
    }

    public boolean controllerTls() {
        return "https".equals(controller.getScheme());
    }

    /** Reads the sources in order; {@code args} are command-line options, {@code env} the environment. */
    public static AgentConfig load(List<String> args, Map<String, String> env) {
        Map<String, String> cli = parseArgs(args);
        Map<String, String> values = new LinkedHashMap<>();
        String file = cli.getOrDefault("config", env.get("CONTINUUM_AGENT_CONFIG"));
        if (file != null) {
            values.putAll(readFile(Path.of(file)));
        }
        for (String key : KEYS) {
            String v = env.get("CONTINUUM_AGENT_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (v != null) {
                values.put(key, v);
            }
        }
        cli.forEach((k, v) -> {
            if (!k.equals("config")) {
                values.put(k, v);
            }
        });
        return fromMap(values);
    }

    /** Builds a config from key/value pairs (the keys of {@link #KEYS}); missing keys take their defaults. */
    public static AgentConfig fromMap(Map<String, String> values) {
        for (String k : values.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown setting '" + k + "'; expected one of " + KEYS);
            }
        }
        String controller = values.get("controller");
        if (controller == null || controller.isBlank()) {
            throw new IllegalArgumentException("controller: required (--controller URL or CONTINUUM_AGENT_CONTROLLER)");
        }
        URI uri;
        try {
            uri = URI.create(controller.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("controller: '" + controller + "' is not a URL: " + e.getMessage());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new AgentConfig(uri,
                blankToNull(values.get("bootstrap-token")),
                values.getOrDefault("name", hostName()),
                parseLabels(values.getOrDefault("labels", "")),
                Path.of(values.getOrDefault("data-dir", "./agent-data")),
                values.getOrDefault("bind", "127.0.0.1"),
                integer("http-port", values.getOrDefault("http-port", "8000")),
                integer("grpc-port", values.getOrDefault("grpc-port", "8001")),
                integer("engine-threads", values.getOrDefault("engine-threads", String.valueOf(Math.min(cores, 4)))),
                seconds("heartbeat-interval", values.getOrDefault("heartbeat-interval", "15")),
                seconds("reconnect-min", values.getOrDefault("reconnect-min", "0.5")),
                seconds("reconnect-max", values.getOrDefault("reconnect-max", "60")),
                bytes("chunk-size", values.getOrDefault("chunk-size", "256K")),
                broker(blankToNull(values.get("telemetry-broker"))),
                values.containsKey("telemetry-interval") ? duration("telemetry-interval", values.get("telemetry-interval")) : null,
                bytes("outbox-max-bytes", values.getOrDefault("outbox-max-bytes", "16M")),
                duration("outbox-max-age", values.getOrDefault("outbox-max-age", "7d")),
                factor("emulate-slowdown", values.getOrDefault("emulate-slowdown", "1")),
                duration("offload-connect-timeout", values.getOrDefault("offload-connect-timeout", "2s")),
                duration("offload-timeout", values.getOrDefault("offload-timeout", "10s")),
                fallback(values.getOrDefault("offload-fallback", "local")));
    }

    private static double factor(String key, String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        try {
            return Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a factor of at least 1 such as 8 or 2.5, got '" + v + "'");
        }
    }

    private static boolean fallback(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "local" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("offload-fallback: expected 'local' (install models placed "
                    + "in the cloud too, and run them when the controller is unreachable) or 'none', got '" + v + "'");
        };
    }

    private static URI broker(String value) {
        if (value == null) {
            return null;
        }
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("telemetry-broker: '" + value + "' is not a URI: " + e.getMessage());
        }
    }

    /** {@code k=v,k2=v2}; keys and values as Kubernetes labels. */
    public static Map<String, String> parseLabels(String text) {
        Map<String, String> out = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("labels: expected key=value pairs separated by commas, got '" + p + "'");
            }
            String k = p.substring(0, eq).trim();
            String v = p.substring(eq + 1).trim();
            if (!LABEL.matcher(k).matches()) {
                throw new IllegalArgumentException("labels: key '" + k + "' is invalid");
            }
            if (!LABEL_VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("labels: value '" + v + "' of '" + k + "' is invalid: up to 63 "
                        + "letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
            }
            if (out.put(k, v) != null) {
                throw new IllegalArgumentException("labels: key '" + k + "' is given twice");
            }
        }
        return out;
    }

    static Map<String, String> parseArgs(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'; options are --key value");
            }
            String key;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                key = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                key = a.substring(2);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option --" + key + " needs a value");
                }
                value = args.get(++i);
            }
            if (!key.equals("config") && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; expected --config or one of "
                        + KEYS.stream().map(k -> "--" + k).toList());
            }
            out.put(key, value);
        }
        return out;
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
        return out;
    }

    private static int integer(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected an integer, got '" + v + "'");
        }
    }

    private static Duration seconds(String key, String v) {
        try {
            double s = Double.parseDouble(v.trim().endsWith("s") ? v.trim().substring(0, v.trim().length() - 1) : v.trim());
            return Duration.ofNanos(Math.round(s * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected seconds such as 15 or 0.5, got '" + v + "'");
        }
    }

    /** A duration: a number with a unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}; seconds without one. */
    static Duration duration(String key, String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        double unitSeconds = 1;
        String number = t;
        for (String[] u : new String[][] {{"ms", "0.001"}, {"s", "1"}, {"m", "60"}, {"h", "3600"}, {"d", "86400"}}) {
            if (t.endsWith(u[0])) {
                unitSeconds = Double.parseDouble(u[1]);
                number = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            double seconds = Double.parseDouble(number) * unitSeconds;
            if (!Double.isFinite(seconds) || number.isEmpty()) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": expected a duration such as 500ms, 5s, 10m, 24h or 7d, got '"
                    + v + "'");
        }
    }

    static int bytes(String key, String v) {
        String t = v.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1024;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            mult = 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t) * mult;
            if (n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected bytes such as 65536, 256K or 1M, got '" + v + "'");
        }
    }

    private static void port(String key, int port, boolean mayDisable) {
        if (port > 65535 || port < (mayDisable ? -1 : 0)) {
            throw new IllegalArgumentException(key + ": expected 0 to 65535" + (mayDisable ? " or -1 (off)" : "")
                    + ", got " + port);
        }
    }

    private static void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + ": expected a positive number of seconds, got " + d);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "edge-device";
        }
    }

    @Override
    public String toString() {
        return "AgentConfig[controller=" + controller + ", bootstrapToken=" + (bootstrapToken == null ? "none" : "***")
                + ", name=" + name + ", labels=" + labels + ", dataDir=" + dataDir + ", bind=" + bind
                + ", httpPort=" + httpPort + ", grpcPort=" + grpcPort + ", engineThreads=" + engineThreads
                + ", telemetryBroker=" + (telemetryBroker == null ? "from controller" : telemetryBroker)
                + ", telemetryInterval=" + (telemetryInterval == null ? "from controller" : telemetryInterval)
                + ", outboxMaxBytes=" + outboxMaxBytes + ", outboxMaxAge=" + outboxMaxAge
                + (emulateSlowdown > 1 ? ", emulateSlowdown=" + emulateSlowdown : "")
                + ", offloadTimeout=" + offloadTimeout + ", offloadFallback=" + (offloadFallback ? "local" : "none") + "]";
    }
}
