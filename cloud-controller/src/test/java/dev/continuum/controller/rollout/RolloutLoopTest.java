package dev.continuum.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.agentlink.DesiredStateService;
import dev.continuum.controller.agentlink.DeviceStatusService;
import dev.continuum.controller.rollout.EmulatedAgents.Traffic;
import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.telemetry.broker.EmbeddedBroker;
import dev.continuum.controller.telemetry.ingest.TelemetryIngest;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler loop end to end: devices enrolled as agents enrol, emulated agents reporting their actual
 * state and publishing telemetry over MQTT (the embedded broker), health gates reading the ingested
 * aggregates; the loop runs every 100 ms.
 */
@QuarkusTest
@TestProfile(RolloutLoopProfile.class)
class RolloutLoopTest {
    @TestHTTPResource("/")
    URL controller;

    @Inject
    TestData data;

    @Inject
    EmbeddedBroker broker;

    @Inject
    TelemetryIngest ingest;

    @Inject
    DesiredStateService desired;

    @Inject
    DeviceStatusService status;

    String deployer;
    String sha1;
    String sha2;
    FleetFixture fleet;
    EmulatedAgents agents;

    @BeforeEach
    void publishTwoVersions() {
        data.reset();
        await().atMost(Duration.ofSeconds(30)).until(ingest::ready);
        fleet = new FleetFixture(controller, broker.port());
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
            agents.check();
        }
        fleet.close();
    }

    @Test
    void aRolloutAdvancesWaveByWaveOnlyAfterBakingAndPassingItsGatesThenCompletes() {
        List<String> ids = fleet.enrol(4, Map.of("site", "test"));
        assign("site=test", "edge", Map.of("threshold", "0.5"));
        agents = new EmulatedAgents(desired, status, fleet, ids);

        String id = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("1", "50%", "100%"), "bakeSeconds", 0.3, "gates", Map.of("minRequests", 50)));

        // no traffic yet: the canary is updated and baked, then waits for the gate's 50 requests
        JsonPath waiting = awaitRollout(id, r -> r.getString("message").contains("waiting for 50 requests, 0 so far"));
        assertThat(waiting.getInt("currentWave")).isZero();
        assertThat(waiting.getString("waves[0].state")).isEqualTo("BAKING");
        assertThat(waiting.getString("waves[1].state")).isEqualTo("PENDING");
        assertThat(waiting.getInt("waves[0].updated")).isEqualTo(1);
        assertThat(waiting.getList("devices.device")).containsExactly(ids.get(0));

        agents.traffic.put("2", new Traffic(20, 0));
        JsonPath done = awaitRollout(id, r -> !r.getString("state").equals("RUNNING"));
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
        assertThat(done.getList("waves.state")).containsExactly("PASSED", "PASSED", "PASSED");
        assertThat(done.getList("waves.targeted", Integer.class)).containsExactly(1, 1, 2);
        assertThat(done.getList("waves.healthy", Integer.class)).containsExactly(1, 1, 2);
        assertThat(done.getList("waves.target", Integer.class)).containsExactly(1, 2, 4);
        assertThat(done.getString("stateReason")).startsWith("every wave passed its gates; last: error rate 0.0%");
        List<Instant> started = done.getList("waves.startedAt", String.class).stream().map(Instant::parse).toList();
        for (int i = 1; i < started.size(); i++) {
            assertThat(Duration.between(started.get(i - 1), started.get(i))).as("wave %d waited for the bake time", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        for (String d : ids) {
            ModelAssignment m = desired.desiredState(d).getModels(0);
            assertThat(m.getVersion()).isEqualTo("2");
            assertThat(m.getSha256()).isEqualTo(sha2);
            assertThat(m.getConfigMap()).containsEntry("threshold", "0.5");
        }
        JsonPath placements = new JsonPath(Api.admin().queryParam("model", "det").get("/api/v1/placements").then()
                .statusCode(200).extract().asString());
        assertThat(placements.getList("items.device")).containsExactlyElementsOf(ids);
        assertThat(placements.getList("items.placement")).containsOnly("EDGE");
        assertThat(placements.getList("items.reason", String.class))
                .allSatisfy(r -> assertThat(r).contains("meets budget 50 ms"));
    }

    @Test
    void aDeviceEnrolledAfterTheRolloutCompletedGetsTheVersionAndAModelAnOperatorRemovedStaysRemoved() {
        List<String> ids = fleet.enrol(2, Map.of("site", "late"));
        agents = new EmulatedAgents(desired, status, fleet, ids);
        String id = create(Map.of("model", "det", "version", "2", "selector", "site=late", "budgetMillis", 50,
                "waves", List.of("100%"), "bakeSeconds", 0, "gates", Map.of("minRequests", 0)));
        assertThat(awaitRollout(id, r -> !r.getString("state").equals("RUNNING")).getString("state"))
                .isEqualTo("COMPLETED");

        FleetFixture.label(ids.get(0), Map.of("gone", "yes"));
        Api.admin().queryParam("model", "det").queryParam("selector", "gone=yes").delete("/api/v1/assignments").then()
                .statusCode(200);
        String late = fleet.enrol(1, Map.of("site", "late")).get(0);
        String other = fleet.enrol(1, Map.of("site", "elsewhere")).get(0);

        await().atMost(Duration.ofSeconds(10)).until(() -> desired.desiredState(late).getModelsCount() == 1);
        ModelAssignment m = desired.desiredState(late).getModels(0);
        assertThat(m.getVersion()).isEqualTo("2");
        assertThat(m.getSha256()).isEqualTo(sha2);
        JsonPath r = awaitRollout(id, j -> j.getString("message").contains(late));
        assertThat(r.getString("state")).isEqualTo("COMPLETED");
        assertThat(r.getString("message")).isEqualTo("1 device(s) matching 'site=late' after the rollout completed "
                + "told to run 2: " + late);
        assertThat(r.getList("devices.device")).contains(late);
        assertThat(desired.desiredState(ids.get(0)).getModelsCount()).as("removed by an operator: left alone")
                .isZero();
        assertThat(desired.desiredState(other).getModelsCount()).as("not matching").isZero();
    }

    @Test
    void aFailedGateRollsBackExactlyTheTouchedDevicesToWhatEachHadBefore() {
        List<String> ids = fleet.enrol(4, Map.of("site", "test"));
        String fresh = ids.get(0);
        String onEdge = ids.get(1);
        String inCloud = ids.get(2);
        String untouched = ids.get(3);
        FleetFixture.label(fresh, Map.of("fresh", "yes"));
        FleetFixture.label(inCloud, Map.of("cloudy", "yes"));
        assign("site=test,!cloudy,!fresh", "edge", Map.of("threshold", "0.5"));
        assign("site=test,cloudy", "cloud", Map.of());
        agents = new EmulatedAgents(desired, status, fleet, ids);
        agents.traffic.put("2", new Traffic(20, 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> reported(untouched, "1"));
        long untouchedRevision = desired.desiredState(untouched).getRevision();
        assertThat(desired.desiredState(fresh).getModelsList()).as("starts without the model").isEmpty();

        String id = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("3", "100%"), "bakeSeconds", 60, "gates", Map.of("minRequests", 100)));

        JsonPath back = awaitRollout(id, r -> r.getString("state").equals("ROLLED_BACK")
                && r.getString("message").startsWith("every touched device is back"));
        assertThat(back.getString("stateReason")).startsWith("health gate failed in wave 1 of 2 (3 devices): "
                + "error rate 25.0% (").endsWith(" requests) > 1.0%");
        assertThat(back.getList("devices.device")).containsExactly(fresh, onEdge, inCloud);
        assertThat(back.getList("devices.touched", Boolean.class)).containsOnly(true);
        assertThat(back.getList("devices.previousVersion")).containsExactly(null, "1", "1");
        assertThat(back.getList("waves.state")).containsExactly("ROLLED_BACK", "CANCELLED");

        assertThat(desired.desiredState(fresh).getModelsList()).as("it had no version: the model is removed").isEmpty();
        ModelAssignment edge = desired.desiredState(onEdge).getModels(0);
        assertThat(edge.getVersion()).isEqualTo("1");
        assertThat(edge.getSha256()).isEqualTo(sha1);
        assertThat(edge.getPlacement()).isEqualTo(Placement.EDGE);
        assertThat(edge.getConfigMap()).containsEntry("threshold", "0.5");
        ModelAssignment cloud = desired.desiredState(inCloud).getModels(0);
        assertThat(cloud.getVersion()).isEqualTo("1");
        assertThat(cloud.getPlacement()).as("placed in the cloud by hand before: it is again").isEqualTo(Placement.CLOUD);
        DesiredState other = desired.desiredState(untouched);
        assertThat(other.getRevision()).as("never touched").isEqualTo(untouchedRevision);
        assertThat(other.getModels(0).getVersion()).isEqualTo("1");
        Api.admin().queryParam("device", fresh).get("/api/v1/placements").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aDeviceThatFailsToInstallFailsTheGateAndAPausedRolloutCompletesOnceResumed() {
        List<String> ids = fleet.enrol(2, Map.of("site", "test"));
        agents = new EmulatedAgents(desired, status, fleet, ids);
        agents.failing.put(ids.get(0), "2");
        String id = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("1", "100%"), "bakeSeconds", 0, "gates", Map.of("minRequests", 0)));
        JsonPath back = awaitRollout(id, r -> r.getString("state").equals("ROLLED_BACK"));
        assertThat(back.getString("stateReason")).contains("1 device(s) report 2 FAILED (" + ids.get(0)
                + "); at most 0 allowed");
        assertThat(back.getList("devices.device")).containsExactly(ids.get(0));

        agents.failing.clear();
        String paused = create(Map.of("model", "det", "version", "2", "selector", "site=test", "budgetMillis", 50,
                "waves", List.of("1", "100%"), "bakeSeconds", 0, "gates", Map.of("minRequests", 0)));
        Api.as(deployer).post("/api/v1/rollouts/" + paused + "/pause").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("PAUSED"));
        Api.as(deployer).post("/api/v1/rollouts/" + paused + "/resume").then().statusCode(200);
        assertThat(awaitRollout(paused, r -> !r.getString("state").equals("RUNNING")).getString("state"))
                .isEqualTo("COMPLETED");
    }

    // ---- helpers

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

    private JsonPath awaitRollout(String id, Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            agents.check();
            last[0] = new JsonPath(Api.admin().get("/api/v1/rollouts/" + id).then().statusCode(200).extract()
                    .asString());
            return condition.test(last[0]);
        });
        return last[0];
    }
}
