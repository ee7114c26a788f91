package dev.continuum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a fake controller (JDK HttpServer): requests sent, output printed, exit codes. */
class CliTest {
    static final String TOKEN = "ctn_test";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    HttpServer server;
    final List<String> requests = new ArrayList<>();
    final Map<String, byte[]> bodies = new HashMap<>();
    /** path (with query) -> status and JSON body to answer. */
    final Map<String, Object[]> routes = new HashMap<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startFakeController() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String key = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        requests.add(key);
        bodies.put(key, ex.getRequestBody().readAllBytes());
        Object[] answer;
        if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            answer = new Object[] {401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the bearer token is not "
                    + "known to this controller\",\"field\":\"Authorization\"}"};
        } else {
            answer = routes.getOrDefault(key, new Object[] {404, "{\"title\":\"Not Found\",\"status\":404,"
                    + "\"detail\":\"no route " + key + "\"}"});
        }
        byte[] b = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", (int) answer[0] < 300 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders((int) answer[0], b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Map<String, String> env() {
        return Map.of("CONTINUUM_URL", url(), "CONTINUUM_TOKEN", TOKEN,
                "CONTINUUM_CONFIG", tmp.resolve("config.json").toString());
    }

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, env, new PrintStream(out, true), new PrintStream(err, true), false);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDemoRefusesAPortInUseBeforeItTouchesAnything() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("demo"));
        Path kept = Files.writeString(dataDir.resolve("kept"), "an earlier run's data");
        int busy = server.getAddress().getPort();

        int code = run(Map.of(), "demo", "--home", Path.of("..").toAbsolutePath().normalize().toString(),
                "--port", String.valueOf(busy), "--data-dir", dataDir.toString(), "--duration", "1");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("port " + busy + " is in use").contains("--port");
        assertThat(kept).as("the data directory is not wiped").exists();
        assertThat(requests).isEmpty();
    }

    @Test
    void theDemoRefusesANegativeSettleTimeByName() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("demo"));
        Path kept = Files.writeString(dataDir.resolve("kept"), "an earlier run's data");

        int code = run(Map.of(), "demo", "--home", Path.of("..").toAbsolutePath().normalize().toString(),
                "--data-dir", dataDir.toString(), "--settle-seconds", "-5", "--duration", "1");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("--settle-seconds").contains("-5");
        assertThat(kept).as("the data directory is not wiped").exists();
        assertThat(requests).isEmpty();
    }

    @Test
    void pushStreamsTheFileAndPrintsItsSha256() throws Exception {
        byte[] onnx = "not really onnx, the fake does not care".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(tmp.resolve("m.onnx"), onnx);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
        routes.put("PUT /api/v1/models/det/versions/1.0", new Object[] {201, "{\"model\":\"det\",\"version\":\"1.0\","
                + "\"sha256\":\"" + sha + "\",\"sizeBytes\":" + onnx.length + ",\"opset\":13,\"parameters\":2,\"flops\":0}"});

        assertThat(run(env(), "models", "push", "det", "1.0", file.toString())).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("sha256: " + sha).contains("Published det:1.0");
        assertThat(bodies.get("PUT /api/v1/models/det/versions/1.0")).isEqualTo(onnx);

        assertThat(run(env(), "models", "push", "--json", "det", "1.0", file.toString())).isEqualTo(ExitCodes.OK);
        JsonNode printed = JSON.readTree(stdout());
        assertThat(printed.path("sha256").asText()).isEqualTo(sha);
    }

    @Test
    void aRefusedPushExitsWith1AndPrintsTheProblem() throws Exception {
        Path file = Files.write(tmp.resolve("bad.onnx"), new byte[] {1, 2, 3});
        routes.put("PUT /api/v1/models/det/versions/2", new Object[] {422, "{\"title\":\"Unprocessable Content\","
                + "\"status\":422,\"detail\":\"node 'mystery_1' (NotAnOp, opset 13): operator is not supported\","
                + "\"field\":\"body\",\"node\":\"mystery_1\"}"});
        assertThat(run(env(), "models", "push", "det", "2", file.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("422").contains("mystery_1").contains("NotAnOp").contains("[field: body]");
    }

    @Test
    void authenticationFailuresExitWith4() {
        Map<String, String> wrong = new HashMap<>(env());
        wrong.put("CONTINUUM_TOKEN", "ctn_wrong");
        assertThat(run(wrong, "models", "list")).isEqualTo(ExitCodes.AUTH);
        assertThat(stderr()).contains("401").contains("not known");

        routes.put("POST /api/v1/tokens", new Object[] {403, "{\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"token tok_1 has role viewer\"}"});
        assertThat(run(env(), "tokens", "create", "--role", "viewer", "--name", "x")).isEqualTo(ExitCodes.AUTH);

        Map<String, String> none = Map.of("CONTINUUM_URL", url(), "CONTINUUM_CONFIG", tmp.resolve("none.json").toString());
        assertThat(run(none, "models", "list")).isEqualTo(ExitCodes.AUTH);
        assertThat(stderr()).contains("no API token");
    }

    @Test
    void anUnreachableControllerExitsWith3() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        Map<String, String> env = Map.of("CONTINUUM_URL", "http://127.0.0.1:" + freePort, "CONTINUUM_TOKEN", TOKEN,
                "CONTINUUM_CONFIG", tmp.resolve("c.json").toString());
        assertThat(run(env, "models", "list")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(stderr()).contains("cannot connect");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run(env(), "models", "push", "only-a-name")).isEqualTo(ExitCodes.USAGE);
        assertThat(run(env(), "frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(run(env(), "models", "push", "m", "1", tmp.resolve("missing.onnx").toString()))
                .isEqualTo(ExitCodes.USAGE);
        Map<String, String> noUrl = Map.of("CONTINUUM_CONFIG", tmp.resolve("none.json").toString());
        assertThat(run(noUrl, "models", "list")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("no controller URL");
    }

    /** Every command, subcommands included, takes --help: its usage on stdout, exit 0, nothing run. */
    @Test
    void everyCommandTakesHelp() {
        assertThat(run(env(), "demo", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("--duration").contains("--budget-millis");
        assertThat(run(env(), "rollouts", "create", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("Usage: continuum rollouts create").contains("(default 1%,10%,50%,100%)");
        assertThat(run(env(), "models", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("push").contains("list");
        assertThat(run(env(), "--version")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("continuum 0.1.0");
    }

    @Test
    void loginChecksTheTokenAndSavesItForLaterCommands() throws Exception {
        routes.put("GET /api/v1/whoami", new Object[] {200, "{\"tokenId\":\"tok_1\",\"name\":\"ops\",\"role\":\"admin\"}"});
        routes.put("GET /api/v1/models?limit=500", new Object[] {200, "{\"items\":[],\"nextCursor\":null}"});
        Path config = tmp.resolve("cfg/config.json");
        Map<String, String> env = Map.of("CONTINUUM_CONFIG", config.toString());

        assertThat(run(env, "login", "--url", url(), "--token", "ctn_wrong")).isEqualTo(ExitCodes.AUTH);
        assertThat(config).doesNotExist();
        assertThat(run(env, "login", "--url", url(), "--token", TOKEN)).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("as ops (role admin)");
        assertThat(JSON.readTree(config.toFile()).path("token").asText()).isEqualTo(TOKEN);

        assertThat(run(env, "models", "list")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).startsWith("NAME");
    }

    @Test
    void listsFollowCursorsAndPrintTablesOrJson() throws Exception {
        routes.put("GET /api/v1/devices?limit=500&selector=region%3Deu%2Ctier%20in%20%28gold%2Csilver%29",
                new Object[] {200, "{\"items\":[{\"id\":\"cam-1\",\"name\":\"Camera\",\"labels\":{\"region\":\"eu\"},"
                        + "\"capabilities\":{\"cores\":4},\"status\":{}}],\"nextCursor\":\"Y2FtLTE\"}"});
        routes.put("GET /api/v1/devices?limit=500&selector=region%3Deu%2Ctier%20in%20%28gold%2Csilver%29&cursor=Y2FtLTE",
                new Object[] {200, "{\"items\":[{\"id\":\"cam-2\",\"name\":\"Other\",\"labels\":{},"
                        + "\"capabilities\":{},\"status\":{}}],\"nextCursor\":null}"});

        assertThat(run(env(), "devices", "list", "--selector", "region=eu,tier in (gold,silver)"))
                .as(stderr()).isEqualTo(ExitCodes.OK);
        List<String> lines = stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("LABELS");
        assertThat(lines.get(1)).startsWith("cam-1").contains("region=eu");
        assertThat(lines.get(2)).startsWith("cam-2");

        assertThat(run(env(), "devices", "list", "--json", "--selector", "region=eu,tier in (gold,silver)"))
                .isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(stdout()).path("items").size()).isEqualTo(2);
    }

    @Test
    void tokenAliasAndBootstrapCommandsSendWhatTheApiExpects() throws Exception {
        routes.put("POST /api/v1/tokens", new Object[] {201, "{\"id\":\"tok_9\",\"role\":\"deployer\",\"token\":\"ctn_s\"}"});
        routes.put("DELETE /api/v1/tokens/tok_9", new Object[] {200, "{\"id\":\"tok_9\",\"name\":\"ci\"}"});
        routes.put("PUT /api/v1/models/det/aliases/production", new Object[] {200, "{\"alias\":\"production\",\"version\":\"2\"}"});
        routes.put("POST /api/v1/bootstrap-tokens", new Object[] {201, "{\"id\":\"btk_1\",\"token\":\"ctb_s\"}"});

        assertThat(run(env(), "tokens", "create", "--role", "deployer", "--name", "ci")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("ctn_s");
        assertThat(JSON.readTree(bodies.get("POST /api/v1/tokens")).path("role").asText()).isEqualTo("deployer");
        assertThat(run(env(), "tokens", "revoke", "tok_9")).isEqualTo(ExitCodes.OK);
        assertThat(run(env(), "aliases", "set", "det", "production", "2")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("det:production -> 2");
        assertThat(JSON.readTree(bodies.get("PUT /api/v1/models/det/aliases/production")).path("version").asText())
                .isEqualTo("2");
        assertThat(run(env(), "bootstrap-tokens", "create", "--json", "--max-uses", "5", "--label", "region=eu"))
                .isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(stdout()).path("token").asText()).isEqualTo("ctb_s");
        JsonNode sent = JSON.readTree(bodies.get("POST /api/v1/bootstrap-tokens"));
        assertThat(sent.path("maxUses").asInt()).isEqualTo(5);
        assertThat(sent.path("labels").path("region").asText()).isEqualTo("eu");
        assertThat(sent.has("name")).as("options not given are left out").isFalse();
        assertThat(sent.has("expiresAt")).isFalse();
    }

    @Test
    void assignSendsTheModelVersionOrAliasAndSelector() throws Exception {
        routes.put("POST /api/v1/assignments", new Object[] {201, "{\"model\":\"det\",\"version\":\"2\",\"sha256\":\"ab\","
                + "\"placement\":\"edge\",\"devices\":[{\"deviceId\":\"dev-1\",\"revision\":3}]}"});
        assertThat(run(env(), "assign", "det", "--alias", "production", "--selector", "region=eu", "--config", "k=v"))
                .isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("det 2 (ab) assigned to 1 device(s), placement edge").contains("dev-1  revision 3");
        JsonNode sent = JSON.readTree(bodies.get("POST /api/v1/assignments"));
        assertThat(sent.path("alias").asText()).isEqualTo("production");
        assertThat(sent.has("version")).isFalse();
        assertThat(sent.path("selector").asText()).isEqualTo("region=eu");
        assertThat(sent.path("config").path("k").asText()).isEqualTo("v");
        assertThat(run(env(), "assign", "det", "--version", "2", "--alias", "p", "--selector", "x"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(env(), "assign", "det", "--version", "2")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void mqttConfigWritesTheMosquittoFilesAndWarnsAboutDevicesLeftOut() throws Exception {
        routes.put("POST /api/v1/mqtt/config", new Object[] {200, "{\"files\":{\"passwd\":\"dev-1:$7$101$s$h\\n\","
                + "\"acl\":\"pattern write continuum/v1/devices/%u/telemetry\\n\",\"mosquitto.conf\":\"listener 18830\\n\"},"
                + "\"devices\":1,\"devicesWithoutPassword\":[\"dev-old\"]}"});
        Path dir = tmp.resolve("mosquitto");
        assertThat(run(env(), "mqtt-config", "--out", dir.toString(), "--controller-password", "pw", "--port", "18830",
                "--install-dir", "/etc/mosquitto/continuum")).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(dir.resolve("passwd"))).isEqualTo("dev-1:$7$101$s$h\n");
        assertThat(Files.readString(dir.resolve("acl"))).contains("%u/telemetry");
        assertThat(Files.readString(dir.resolve("mosquitto.conf"))).isEqualTo("listener 18830\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("passwd"))))
                .isEqualTo("rw-------");
        assertThat(stdout()).contains("1 devices and the controller user");
        assertThat(stderr()).contains("warning: 1 enrolled device(s) have no MQTT password").contains("dev-old");
        JsonNode sent = JSON.readTree(bodies.get("POST /api/v1/mqtt/config"));
        assertThat(sent.path("controllerPassword").asText()).isEqualTo("pw");
        assertThat(sent.path("port").asInt()).isEqualTo(18830);
        assertThat(sent.path("installDir").asText()).isEqualTo("/etc/mosquitto/continuum");
        assertThat(sent.has("controllerUsername")).isFalse();
    }

    @Test
    void mqttConfigReadsThePasswordFromAFileAndRefusesTwoPasswordsOrNoOutputDirectory() throws Exception {
        routes.put("POST /api/v1/mqtt/config", new Object[] {200, "{\"files\":{\"passwd\":\"\",\"acl\":\"\","
                + "\"mosquitto.conf\":\"\"},\"devices\":0,\"devicesWithoutPassword\":[]}"});
        Path pw = Files.writeString(tmp.resolve("pw.txt"), "from-file\n");
        assertThat(run(env(), "mqtt-config", "--out", tmp.resolve("m").toString(), "--controller-password-file",
                pw.toString())).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(bodies.get("POST /api/v1/mqtt/config")).path("controllerPassword").asText())
                .isEqualTo("from-file");
        assertThat(stderr()).doesNotContain("warning");
        assertThat(run(env(), "mqtt-config", "--out", tmp.resolve("m").toString(), "--controller-password", "a",
                "--controller-password-file", pw.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("not both");
        assertThat(run(env(), "mqtt-config")).isEqualTo(ExitCodes.USAGE);
        assertThat(run(env(), "mqtt-config", "--out", tmp.resolve("m").toString(), "--controller-password-file",
                tmp.resolve("missing").toString())).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void mqttConfigRefusedByTheControllerExitsWithItsProblem() {
        routes.put("POST /api/v1/mqtt/config", new Object[] {400, "{\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"give the controller's MQTT password\",\"field\":\"controllerPassword\"}"});
        assertThat(run(env(), "mqtt-config", "--out", tmp.resolve("m").toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("give the controller's MQTT password").contains("[field: controllerPassword]");
        assertThat(Files.exists(tmp.resolve("m").resolve("passwd"))).isFalse();
    }
}
