package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole system on one machine: the controller on its embedded defaults, a few edge agents as
 * separate processes emulating devices of different speeds, the example model published and rolled
 * out under a latency budget, inference traffic on every device, and a report of placements,
 * rollout progress and latencies every few seconds. Ctrl-C stops every process it started.
 */
@Command(name = "demo", description = "Run the controller, three edge agents of different speeds, a rollout with a "
        + "latency budget and inference traffic on this machine; Ctrl-C stops everything.")
final class DemoCommand implements Callable<Integer> {
    /** The emulated devices: name, slowdown factor, label. */
    private record DeviceSpec(String name, double slowdown, String tier) {
    }

    private static final List<DeviceSpec> DEVICES = List.of(new DeviceSpec("edge-fast", 1, "fast"),
            new DeviceSpec("edge-medium", 4, "medium"), new DeviceSpec("edge-slow", 2000, "slow"));
    private static final String MODEL = "lenet";
    private static final String VERSION = "1.0.0";

    @Option(names = "--home", description = "Continuum checkout holding bin/continuum (default: $CONTINUUM_HOME or .)")
    Path home;
    @Option(names = "--port", defaultValue = "8080", description = "Controller HTTP port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--data-dir", defaultValue = "data/demo", description = "Working directory of the demo; "
            + "emptied at start (default: ${DEFAULT-VALUE})")
    Path dataDir;
    @Option(names = "--budget-millis", defaultValue = "20", description = "Latency budget of the rollout (default: ${DEFAULT-VALUE})")
    double budgetMillis;
    @Option(names = "--rate", defaultValue = "20", description = "Requests per second per device (default: ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--duration", description = "Stop by itself after this many seconds (default: run until Ctrl-C)")
    Integer durationSeconds;
    @Option(names = "--settle-seconds", defaultValue = "10", description = "Wait this long after the agents enrol "
            + "before the rollout, while their start-up compiles and profiles (default: ${DEFAULT-VALUE})")
    int settleSeconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final List<DemoProcess> processes = new ArrayList<>();
    private final List<DemoTraffic> traffic = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream out = ((Main) spec.root().userObject()).out;
        if (settleSeconds < 0) {
            throw new CliException(ExitCodes.USAGE, "--settle-seconds: expected 0 or more seconds, got " + settleSeconds);
        }
        Path root = home != null ? home : Path.of(System.getenv().getOrDefault("CONTINUUM_HOME", "."));
        Path launcher = root.resolve("bin/continuum").toAbsolutePath();
        Path fixture = root.resolve("tensor-engine/src/test/resources/models/lenet/model.onnx");
        if (!Files.isExecutable(launcher) || !Files.isRegularFile(fixture)) {
            throw new CliException(ExitCodes.USAGE, "--home " + root + " is not a Continuum checkout (needs bin/continuum and "
                    + fixture + ")");
        }
        Thread cleanup = new Thread(this::stopAll, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            run(out, launcher, fixture.toAbsolutePath());
            return ExitCodes.OK;
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running or has run
            }
        }
    }

    private void run(PrintStream out, Path launcher, Path fixture) throws Exception {
        requireFree(port);
        Path dir = dataDir.toAbsolutePath();
        deleteTree(dir);
        String adminToken = "ctm_demo_" + Long.toHexString(System.nanoTime());
        String url = "http://127.0.0.1:" + port;
        out.println("== Starting the controller on " + url + " (embedded database and MQTT broker under " + dir + ")");
        DemoProcess controller = DemoProcess.start("controller", List.of(launcher.toString(), "controller"),
                Map.of("CONTINUUM_DATA_DIR", dir.resolve("controller").toString(), "QUARKUS_HTTP_PORT", String.valueOf(port),
                        "CONTINUUM_ADMIN_TOKEN", adminToken, "CONTINUUM_MQTT_PORT", String.valueOf(freePort()),
                        // every device talks to the controller over loopback: until an agent has offloaded and
                        // measured its uplink, assume 100 MB/s rather than a real link's 1 MB/s; until its first
                        // telemetry batch reports a round trip, 5 ms rather than a real link's 100 ms (which placed
                        // the slow device on its edge for the rollout's first seconds, and its 1.5 s answers
                        // failed the first wave's p95 gate whenever it was in that wave)
                        "CONTINUUM_PLACEMENT_ASSUMED_UPLINK_BYTES_PER_SECOND", "100000000",
                        "CONTINUUM_PLACEMENT_ASSUMED_RTT", "5ms"),
                dir.resolve("logs/controller.log"));
        processes.add(controller);
        awaitHttp(controller, url + "/q/health/ready", Duration.ofMinutes(5));
        ApiClient api = new ApiClient(url, adminToken);

        out.println("== Publishing " + MODEL + " " + VERSION + " from " + fixture);
        api.putFile("/api/v1/models/" + MODEL + "/versions/" + VERSION, fixture, sent -> { });
        // asking for its metadata loads the version into the controller's cloud inference and warms it up
        // (ModelCache) while the machine is still quiet: otherwise the first request a device forwards pays for
        // it, and the first wave's p95 gate sees those seconds
        out.println("== Loading " + MODEL + " " + VERSION + " into the controller's cloud inference");
        api.get("/v2/models/" + MODEL + "/versions/" + VERSION);
        String bootstrap = api.post("/api/v1/bootstrap-tokens", Map.of("name", "demo", "labels", Map.of("demo", "true")))
                .path("token").asText();

        List<String> agentUrls = new ArrayList<>();
        for (DeviceSpec d : DEVICES) {
            int agentPort = freePort();
            out.printf("== Starting agent %s (%.0fx slower than this machine) on http://127.0.0.1:%d%n", d.name(),
                    d.slowdown(), agentPort);
            DemoProcess agent = DemoProcess.start(d.name(), List.of(launcher.toString(), "agent", "--controller", url,
                    "--bootstrap-token", bootstrap, "--name", d.name(), "--labels", "demo=true,tier=" + d.tier(),
                    "--data-dir", dir.resolve("agents").resolve(d.name()).toString(), "--http-port", String.valueOf(agentPort),
                    "--grpc-port", "-1", "--emulate-slowdown", String.valueOf(d.slowdown()),
                    // a short window of round trips, so the placement's RTT soon forgets the start-up's
                    "--heartbeat-interval", "2"), Map.of(),
                    dir.resolve("logs/" + d.name() + ".log"));
            processes.add(agent);
            agentUrls.add("http://127.0.0.1:" + agentPort);
        }
        for (int i = 0; i < DEVICES.size(); i++) {
            awaitHttp(processes.get(i + 1), agentUrls.get(i) + "/v2/health/live", Duration.ofMinutes(2));
        }
        awaitDevices(api, DEVICES.size(), Duration.ofMinutes(1));
        if (settleSeconds > 0) {
            // five JVMs on the machine compile their hot code in their first seconds, and an agent measures its
            // device's speed: latencies measured then (the agents' install-time probes, the first wave's bake)
            // are several times their steady values, enough to fail the first wave's p95 gate
            out.printf("== Waiting %d s for the agents' start-up to settle%n", settleSeconds);
            Thread.sleep(settleSeconds * 1000L);
        }

        out.printf("== Rolling %s %s out to demo=true with a %.1f ms latency budget%n", MODEL, VERSION, budgetMillis);
        JsonNode rollout = api.post("/api/v1/rollouts", Map.of("model", MODEL, "version", VERSION, "selector", "demo=true",
                "budgetMillis", budgetMillis, "waves", List.of("34%", "100%"), "bakeSeconds", 10,
                "gates", Map.of("maxErrorRate", 0.05, "minRequests", 20, "maxP95BudgetMultiple", 3)));
        String rolloutId = rollout.path("id").asText();

        for (String agentUrl : agentUrls) {
            DemoTraffic t = new DemoTraffic(agentUrl, MODEL, rate);
            traffic.add(t);
            Thread th = new Thread(t, "traffic-" + agentUrl);
            th.setDaemon(true);
            th.start();
        }
        long started = System.nanoTime();
        while (durationSeconds == null || System.nanoTime() - started < durationSeconds * 1_000_000_000L) {
            Thread.sleep(5000);
            for (DemoProcess p : processes) {
                p.checkAlive();
            }
            DemoReport.print(out, api, rolloutId, MODEL, DEVICES.stream().map(DeviceSpec::name).toList(),
                    DEVICES.stream().map(DeviceSpec::slowdown).toList(), traffic, (System.nanoTime() - started) / 1_000_000_000L);
        }
    }

    private synchronized void stopAll() {
        traffic.forEach(DemoTraffic::stop);
        traffic.clear();
        for (int i = processes.size() - 1; i >= 0; i--) { // agents first, the controller last
            processes.get(i).stop(10_000);
        }
        processes.clear();
    }

    private static void awaitHttp(DemoProcess p, String url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            p.checkAlive();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new CliException(ExitCodes.FAILED, p.name() + " did not answer " + url + " within " + timeout.toSeconds()
                + " s; last lines of " + p.log() + ":\n" + p.tail(20));
    }

    private void awaitDevices(ApiClient api, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (api.get("/api/v1/devices?selector=" + ApiClient.enc("demo=true")).path("items").size() >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new CliException(ExitCodes.FAILED, "the agents did not enrol within " + timeout.toSeconds() + " s; see "
                + dataDir.resolve("logs"));
    }

    /** Fails when something (a controller left running, say) already listens on the port the demo wants. */
    private static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "port " + port + " is in use (" + e.getMessage() + "); stop what "
                    + "listens there (an earlier demo or controller?) or pick another with --port");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
