package dev.continuum.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.agentlink.DesiredStateService;
import dev.continuum.controller.agentlink.DeviceStatusService;
import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.support.TestTelemetry;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler loop end to end: devices registered through the API, agents emulated through the services
 * the sync stream uses, health fed through the telemetry the gates read; the loop runs every 100 ms.
 */
@QuarkusTest
@TestProfile(RolloutLoopProfile.class)
class RolloutLoopTest {
    @Inject
    TestData data;

    @Inject
    TestTelemetry telemetry;

    @Inject
    DesiredStateService desired;

    @Inject
    DeviceStatusService status;

    String deployer;
    String sha1;
    String sha2;
    EmulatedAgents agents;

    @BeforeEach
    void publishTwoVersions() {
        data.reset();
        telemetry.reset();
        deployer = Api.token("deployer");
        sha1 = Api.publish(deployer, Onnx.reshape("loop-1")).put("/api/v1/models/det/versions/1").then()
                .statusCode(201).extract().path("sha256");
        sha2 = Api.publish(deployer, Onnx.reshape("loop-2")).put("/api/v1/models/det/versions/2").then()
                .statusCode(201).extract().path("sha256");
    }

    @AfterEach
    void stopAgents() throws InterruptedException {
        if (agents != null) {
            agents.close();
        }
    }

    @Test
    void aRolloutAdvancesWaveByWaveOnlyAfterBakingAndPassingItsGatesThenCompletes() {
        devices("w1", "w2", "w3", "w4");
        assign("site=test", "edge", Map.of("threshold", "0.5"));
        agents = new EmulatedAgents(desired, status, List.of("w1", "w2", "w3", "w4"));
        telemetry.health("det", "2", 10, 0, 3_000L);

        String id = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("1", "50%", "100%"), "bakeSeconds", 0.3, "gates", Map.of("minRequests", 50)));

        // too little traffic: the canary bakes, then waits for the gate's 50 requests
        JsonPath waiting = awaitRollout(id, r -> r.getString("message").contains("waiting for 50 requests, 10 so far"));
        assertThat(waiting.getInt("currentWave")).isZero();
        assertThat(waiting.getString("waves[0].state")).isEqualTo("BAKING");
        assertThat(waiting.getString("waves[1].state")).isEqualTo("PENDING");
        assertThat(waiting.getInt("waves[0].updated")).isEqualTo(1);
        assertThat(waiting.getInt("touchedDevices")).isEqualTo(1);

        telemetry.health("det", "2", 500, 1, 3_000L);
        JsonPath done = awaitRollout(id, r -> !r.getString("state").equals("RUNNING"));
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
        assertThat(done.getList("waves.state")).containsExactly("PASSED", "PASSED", "PASSED");
        assertThat(done.getList("waves.targeted", Integer.class)).containsExactly(1, 1, 2);
        assertThat(done.getList("waves.healthy", Integer.class)).containsExactly(1, 1, 2);
        assertThat(done.getList("waves.target", Integer.class)).containsExactly(1, 2, 4);
        assertThat(done.getString("stateReason")).startsWith("every wave passed its gates");
        List<Instant> started = done.getList("waves.startedAt", String.class).stream().map(Instant::parse).toList();
        for (int i = 1; i < started.size(); i++) {
            assertThat(Duration.between(started.get(i - 1), started.get(i))).as("wave %d waited for the bake time", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        for (String d : List.of("w1", "w2", "w3", "w4")) {
            ModelAssignment m = desired.desiredState(d).getModels(0);
            assertThat(m.getVersion()).isEqualTo("2");
            assertThat(m.getSha256()).isEqualTo(sha2);
            assertThat(m.getConfigMap()).containsEntry("threshold", "0.5");
        }
        JsonPath placements = new JsonPath(Api.admin().queryParam("model", "det").get("/api/v1/placements").then()
                .statusCode(200).extract().asString());
        assertThat(placements.getList("items.device")).containsExactly("w1", "w2", "w3", "w4");
        assertThat(placements.getList("items.placement")).containsOnly("EDGE");
        assertThat(placements.getList("items.reason", String.class)).allSatisfy(r -> assertThat(r).contains("meets budget 50 ms"));
    }

    @Test
    void aFailedGateRollsBackExactlyTheTouchedDevicesToWhatEachHadBefore() {
        device("b1", Map.of("fresh", "yes"));
        device("b2", Map.of());
        device("b3", Map.of("cloudy", "yes"));
        device("b4", Map.of());
        assign("site=test,!cloudy,!fresh", "edge", Map.of("threshold", "0.5"));
        assign("site=test,cloudy", "cloud", Map.of());
        agents = new EmulatedAgents(desired, status, List.of("b1", "b2", "b3", "b4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> reported("b4", "1"));
        long b4Revision = desired.desiredState("b4").getRevision();
        assertThat(desired.desiredState("b1").getModelsList()).as("b1 starts without the model").isEmpty();
        telemetry.health("det", "2", 200, 50, 3_000L);

        String id = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("3", "100%"), "bakeSeconds", 60, "gates", Map.of("minRequests", 100)));

        JsonPath back = awaitRollout(id, r -> r.getString("state").equals("ROLLED_BACK")
                && r.getString("message").startsWith("every touched device is back"));
        assertThat(back.getString("stateReason")).startsWith("health gate failed in wave 1 of 2 (3 devices): error rate "
                + "25.0% (50 of 200 requests) > 1.0%");
        assertThat(back.getList("devices.device")).containsExactly("b1", "b2", "b3");
        assertThat(back.getList("devices.touched", Boolean.class)).containsOnly(true);
        assertThat(back.getList("devices.previousVersion")).containsExactly(null, "1", "1");
        assertThat(back.getList("waves.state")).containsExactly("ROLLED_BACK", "CANCELLED");

        assertThat(desired.desiredState("b1").getModelsList()).as("b1 had no version: the model is removed").isEmpty();
        ModelAssignment b2 = desired.desiredState("b2").getModels(0);
        assertThat(b2.getVersion()).isEqualTo("1");
        assertThat(b2.getSha256()).isEqualTo(sha1);
        assertThat(b2.getPlacement()).isEqualTo(Placement.EDGE);
        assertThat(b2.getConfigMap()).containsEntry("threshold", "0.5");
        ModelAssignment b3 = desired.desiredState("b3").getModels(0);
        assertThat(b3.getVersion()).isEqualTo("1");
        assertThat(b3.getPlacement()).as("b3 was placed in the cloud by hand: it is again").isEqualTo(Placement.CLOUD);
        DesiredState b4 = desired.desiredState("b4");
        assertThat(b4.getRevision()).as("b4 was never touched").isEqualTo(b4Revision);
        assertThat(b4.getModels(0).getVersion()).isEqualTo("1");
        Api.admin().queryParam("device", "b1").get("/api/v1/placements").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aDeviceThatFailsToInstallFailsTheGateAndAPausedRolloutCompletesOnceResumed() {
        devices("f1", "f2");
        agents = new EmulatedAgents(desired, status, List.of("f1", "f2"));
        agents.failing.put("f1", "2");
        String id = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("1", "100%"), "bakeSeconds", 0, "gates", Map.of("minRequests", 0)));
        JsonPath back = awaitRollout(id, r -> r.getString("state").equals("ROLLED_BACK"));
        assertThat(back.getString("stateReason")).contains("1 device(s) report 2 FAILED (f1); at most 0 allowed");
        assertThat(back.getList("devices.device")).containsExactly("f1");

        agents.failing.clear();
        String paused = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("1", "100%"), "bakeSeconds", 0, "gates", Map.of("minRequests", 0)));
        Api.as(deployer).post("/api/v1/rollouts/" + paused + "/pause").then().statusCode(200);
        assertThat(get(paused).getString("state")).isEqualTo("PAUSED");
        Api.as(deployer).post("/api/v1/rollouts/" + paused + "/resume").then().statusCode(200);
        assertThat(awaitRollout(paused, r -> !r.getString("state").equals("RUNNING")).getString("state"))
                .isEqualTo("COMPLETED");
    }

    // ---- helpers

    private void devices(String... ids) {
        for (String id : ids) {
            device(id, Map.of());
        }
    }

    private void device(String id, Map<String, String> extraLabels) {
        Map<String, String> labels = new HashMap<>(extraLabels);
        labels.put("site", "test");
        Api.admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", "device " + id, "labels", labels,
                "capabilities", Map.of("engineGflops", 10.0))).post("/api/v1/devices").then().statusCode(201);
    }

    private void assign(String selector, String placement, Map<String, String> config) {
        Map<String, Object> body = new HashMap<>(Map.of("model", "det", "version", "1", "selector", selector,
                "placement", placement, "config", config));
        Api.admin().contentType(ContentType.JSON).body(body).post("/api/v1/assignments").then().statusCode(201);
    }

    private boolean reported(String device, String version) {
        return Api.admin().get("/api/v1/devices/" + device).then().extract().<List<String>>path(
                "status.installedModels.version").contains(version);
    }

    private String create(Map<String, Object> body) {
        return Api.as(deployer).contentType(ContentType.JSON).body(body).post("/api/v1/rollouts").then()
                .statusCode(201).extract().path("id");
    }

    private static JsonPath get(String id) {
        return new JsonPath(Api.admin().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().asString());
    }

    private static JsonPath awaitRollout(String id, java.util.function.Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = get(id);
            return condition.test(last[0]);
        });
        return last[0];
    }
}
