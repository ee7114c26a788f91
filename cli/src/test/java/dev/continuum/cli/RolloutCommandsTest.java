package dev.continuum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollouts} and {@code placements} against a fake controller: requests sent, output, exit codes. */
class RolloutCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CREATE = "POST /api/v1/rollouts";
    static final String GET = "GET /api/v1/rollouts/ro-1";

    @TempDir
    Path tmp;

    FakeController controller;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        controller = new FakeController();
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = Map.of("CONTINUUM_URL", controller.url(), "CONTINUUM_TOKEN", "ctn_test",
                "CONTINUUM_CONFIG", tmp.resolve("config.json").toString());
        return Main.run(args, env, new PrintStream(out, true), new PrintStream(err, true), false);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A rollout of det 2 with two waves; {@code waves} holds state, targeted, updated, healthy per wave. */
    static String rollout(String state, int current, Object[]... waves) {
        ObjectNode r = JSON.createObjectNode().put("id", "ro-1").put("model", "det").put("version", "2")
                .put("selector", "region=eu").put("budgetMillis", 50.0).put("preference", "edge-first")
                .put("state", state).put("stateReason", state.equals("RUNNING") ? "created by ci"
                        : state.equals("COMPLETED") ? "every wave passed its gates"
                        : "health gate failed in wave 1 of 2 (1%): error rate 5.0% (10 of 200 requests) > 1.0%")
                .put("currentWave", current).put("touchedDevices", 1).put("createdAt", "2026-01-01T00:00:00Z");
        r.putObject("strategy").putArray("waves").add("1%").add("100%");
        ArrayNode ws = r.putArray("waves");
        String[] sizes = {"1%", "100%"};
        for (int i = 0; i < waves.length; i++) {
            ws.addObject().put("index", i).put("size", sizes[i]).put("target", i == 0 ? 1 : 4)
                    .put("state", (String) waves[i][0]).put("targeted", (int) waves[i][1])
                    .put("updated", (int) waves[i][2]).put("healthy", (int) waves[i][3]).put("failed", 0)
                    .put("offline", 0);
        }
        r.putArray("devices").addObject().put("device", "dev-1").put("wave", 0).put("touched", true)
                .put("previousVersion", "1");
        return r.toString();
    }

    static Object[] wave(String state, int targeted, int updated, int healthy) {
        return new Object[] {state, targeted, updated, healthy};
    }

    @Test
    void createSendsTheSpecLeavingOutWhatWasNotGiven() throws Exception {
        controller.on(CREATE, 201, rollout("RUNNING", 0, wave("ACTIVE", 1, 0, 0), wave("PENDING", 0, 0, 0)));
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "region=eu",
                "--budget-millis", "50", "--waves", "1%,5,100%", "--max-error-rate", "0.02", "--min-requests", "20",
                "--max-in-flight", "3", "--preference", "cloud-first")).as(stderr()).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("rollout ro-1 created: det 2 to 'region=eu', budget 50.0 ms");
        JsonNode sent = JSON.readTree(controller.bodies.get(CREATE));
        assertThat(sent.path("model").asText()).isEqualTo("det");
        assertThat(sent.path("version").asText()).isEqualTo("2");
        assertThat(sent.has("alias")).isFalse();
        assertThat(sent.path("budgetMillis").asDouble()).isEqualTo(50.0);
        assertThat(sent.path("waves").toString()).isEqualTo("[\"1%\",5,\"100%\"]");
        assertThat(sent.path("gates").path("maxErrorRate").asDouble()).isEqualTo(0.02);
        assertThat(sent.path("gates").path("minRequests").asLong()).isEqualTo(20);
        assertThat(sent.path("gates").has("maxFailedDevices")).isFalse();
        assertThat(sent.path("maxInFlight").asInt()).isEqualTo(3);
        assertThat(sent.path("preference").asText()).isEqualTo("cloud-first");
        assertThat(sent.has("bakeSeconds")).as("options not given are left out").isFalse();
    }

    @Test
    void waitPrintsEachWaveAndStateChangeAndExits0WhenTheRolloutCompletes() {
        controller.on(CREATE, 201, rollout("RUNNING", 0, wave("ACTIVE", 1, 0, 0), wave("PENDING", 0, 0, 0)));
        controller.on(GET,
                FakeController.Answer.ok(rollout("RUNNING", 0, wave("BAKING", 1, 1, 0), wave("PENDING", 0, 0, 0))),
                FakeController.Answer.ok(rollout("RUNNING", 0, wave("BAKING", 1, 1, 0), wave("PENDING", 0, 0, 0))),
                FakeController.Answer.ok(rollout("RUNNING", 1, wave("PASSED", 1, 1, 1), wave("ACTIVE", 3, 1, 0))),
                FakeController.Answer.ok(rollout("COMPLETED", 1, wave("PASSED", 1, 1, 1), wave("PASSED", 3, 3, 3))));
        int code = run("rollouts", "create", "--model", "det", "--alias", "production", "--selector", "region=eu",
                "--budget-millis", "50", "--wait", "--poll-seconds", "0.01");
        assertThat(code).as(stderr()).isEqualTo(ExitCodes.OK);
        assertThat(stdout().lines().toList()).containsExactly(
                "rollout ro-1 created: det 2 to 'region=eu'; waiting for it to finish",
                "ro-1 RUNNING: created by ci",
                "  wave 1 of 2 (1%) ACTIVE: 1 targeted, 0 updated, 0 healthy, 0 failed",
                "  wave 1 of 2 (1%) BAKING: 1 targeted, 1 updated, 0 healthy, 0 failed",
                "  wave 2 of 2 (100%) ACTIVE: 3 targeted, 1 updated, 0 healthy, 0 failed",
                "ro-1 COMPLETED: every wave passed its gates",
                "  wave 2 of 2 (100%) PASSED: 3 targeted, 3 updated, 3 healthy, 0 failed",
                "rollout ro-1 COMPLETED: det 2 on every device of 'region=eu'");
    }

    @Test
    void waitExits1WhenTheRolloutIsRolledBackAndSaysWhy() {
        controller.on(CREATE, 201, rollout("RUNNING", 0, wave("ACTIVE", 1, 0, 0), wave("PENDING", 0, 0, 0)));
        controller.on(GET, 200, rollout("ROLLED_BACK", 0, wave("ROLLED_BACK", 1, 1, 0), wave("CANCELLED", 0, 0, 0)));
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "region=eu",
                "--budget-millis", "50", "--wait", "--poll-seconds", "0.01")).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("rollout ro-1 ROLLED_BACK: health gate failed in wave 1 of 2 (1%): error rate 5.0%");
    }

    @Test
    void waitExits5WhenTheTimeoutRunsOutAndTheRolloutGoesOn() {
        controller.on(CREATE, 201, rollout("RUNNING", 0, wave("ACTIVE", 1, 0, 0), wave("PENDING", 0, 0, 0)));
        controller.on(GET, 200, rollout("RUNNING", 0, wave("BAKING", 1, 1, 0), wave("PENDING", 0, 0, 0)));
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "region=eu",
                "--budget-millis", "50", "--wait", "--timeout", "0.2", "--poll-seconds", "0.01"))
                .isEqualTo(ExitCodes.TIMEOUT);
        assertThat(stderr()).contains("gave up waiting: rollout ro-1 is still RUNNING (1/2 BAKING)");
        assertThat(controller.requests).doesNotContain("POST /api/v1/rollouts/ro-1/abort");
    }

    @Test
    void waitExits3WhenTheControllerStaysUnreachable() {
        controller.on(CREATE, new FakeController.Answer(201, rollout("RUNNING", 0, wave("ACTIVE", 1, 0, 0),
                wave("PENDING", 0, 0, 0)), () -> new Thread(() -> controller.server.stop(0)).start()));
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "region=eu",
                "--budget-millis", "50", "--wait", "--poll-seconds", "0.05")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(stdout()).contains("controller unreachable");
        assertThat(stderr()).contains("cannot connect");
    }

    @Test
    void createRefusesBadCommandLinesWithExit2AndRefusedSpecsWith1() {
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--alias", "p", "--selector", "x",
                "--budget-millis", "5")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "x"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "x",
                "--budget-millis", "5", "--timeout", "10")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("--timeout needs --wait");
        controller.on(CREATE, 400, "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"waves are cumulative: "
                + "wave 1 (5%) must be larger than wave 0 (10%)\",\"field\":\"waves[1]\"}");
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "x",
                "--budget-millis", "5", "--waves", "10%,5%", "--wait")).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("[field: waves[1]]");
        controller.on(CREATE, 409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"rollout 'ro-0' (det 1, "
                + "RUNNING) already targets selector 'x'\",\"field\":\"selector\"}");
        assertThat(run("rollouts", "create", "--model", "det", "--version", "2", "--selector", "x",
                "--budget-millis", "5")).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("409").contains("ro-0");
    }

    @Test
    void listShowAndStateCommandsCallTheApiAndPrintTheRollout() {
        controller.on("GET /api/v1/rollouts?limit=500&model=det&state=RUNNING", 200, "{\"items\":["
                + rollout("RUNNING", 0, wave("ACTIVE", 1, 0, 0), wave("PENDING", 0, 0, 0)) + "],\"nextCursor\":null}");
        assertThat(run("rollouts", "list", "--model", "det", "--state", "RUNNING")).isEqualTo(ExitCodes.OK);
        assertThat(stdout().lines().toList().get(0)).startsWith("ID").contains("STATE").contains("WAVE");
        assertThat(stdout().lines().toList().get(1)).startsWith("ro-1").contains("RUNNING").contains("1/2 ACTIVE");

        controller.on(GET, 200, rollout("RUNNING", 1, wave("PASSED", 1, 1, 1), wave("ACTIVE", 3, 1, 0)));
        assertThat(run("rollouts", "show", "ro-1")).isEqualTo(ExitCodes.OK);
        assertThat(stdout()).contains("reason:").contains("created by ci")
                .contains("WAVE  SIZE  TARGET  STATE   TARGETED  UPDATED  HEALTHY").contains("dev-1");

        for (String action : new String[] {"pause", "resume", "abort", "rollback"}) {
            controller.on("POST /api/v1/rollouts/ro-1/" + action, 200, rollout("PAUSED", 0, wave("ACTIVE", 1, 0, 0),
                    wave("PENDING", 0, 0, 0)));
            assertThat(run("rollouts", action, "ro-1")).as(action).isEqualTo(ExitCodes.OK);
            assertThat(controller.requests).contains("POST /api/v1/rollouts/ro-1/" + action);
        }
        controller.on("POST /api/v1/rollouts/ro-1/resume", 409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":"
                + "\"cannot resume rollout 'ro-1': it is RUNNING; only PAUSED rollouts can be resumed\",\"field\":\"state\"}");
        assertThat(run("rollouts", "resume", "ro-1")).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("it is RUNNING").contains("[field: state]");
    }

    @Test
    void placementsPrintATableAndPinAndUnpinSendWhatTheApiExpects() throws Exception {
        String item = "{\"device\":\"dev-1\",\"deviceName\":\"cam\",\"model\":\"det\",\"version\":\"2\","
                + "\"placement\":\"CLOUD\",\"violatesBudget\":false,\"budgetMillis\":50,\"edgeP95Millis\":41.23,"
                + "\"cloudP95Millis\":18.5,\"reason\":\"edge p95 41.2 ms > budget 30 ms; cloud p95 18.5 ms meets it\","
                + "\"pinned\":false}";
        controller.on("GET /api/v1/placements?limit=500&device=dev-1&model=det", 200,
                "{\"items\":[" + item + "],\"nextCursor\":null}");
        assertThat(run("placements", "--device", "dev-1", "--model", "det")).as(stderr()).isEqualTo(ExitCodes.OK);
        assertThat(stdout().lines().toList().get(0))
                .matches("DEVICE +MODEL +VERSION +PLACEMENT +EDGE P95 +CLOUD P95 +REASON");
        assertThat(stdout().lines().toList().get(1)).startsWith("dev-1").contains("cloud").contains("41.2 ms")
                .contains("18.5 ms").contains("cloud p95 18.5 ms meets it");

        controller.on("PUT /api/v1/placements/dev-1/det/pin", 200, "{\"device\":\"dev-1\",\"model\":\"det\","
                + "\"pinned\":\"EDGE\",\"placement\":" + item.replace("\"pinned\":false", "\"pinned\":true") + "}");
        assertThat(run("placements", "pin", "dev-1", "det", "edge")).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(controller.bodies.get("PUT /api/v1/placements/dev-1/det/pin")).path("placement")
                .asText()).isEqualTo("edge");
        assertThat(stdout()).contains("det on dev-1: pinned to edge").contains("(pinned)");

        controller.on("DELETE /api/v1/placements/dev-1/det/pin", 404, "{\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"pin 'dev-1/det' not found\",\"field\":\"model\"}");
        assertThat(run("placements", "unpin", "dev-1", "det")).isEqualTo(ExitCodes.FAILED);
        assertThat(stderr()).contains("pin 'dev-1/det' not found");

        controller.on("GET /api/v1/placements/dev-1/det/history", 200, "{\"items\":[" + item + "]}");
        assertThat(run("placements", "history", "dev-1", "det", "--json")).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(stdout()).path("items").size()).isEqualTo(1);
    }
}
