package dev.continuum.controller.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.continuum.controller.agentlink.DesiredStateService;
import dev.continuum.controller.agentlink.DeviceStatusService;
import dev.continuum.controller.rollout.EmulatedAgents;
import dev.continuum.controller.rollout.RolloutLoopProfile;
import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.support.TestTelemetry;
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Placement through the API: a rollout places every device it updates, the loop re-evaluates as measurements
 * arrive, every decision says why, and an operator's pin wins and reaches the device's desired state.
 */
@QuarkusTest
@TestProfile(RolloutLoopProfile.class)
class PlacementApiTest {
    static final String PLACEMENTS = "/api/v1/placements";

    @Inject
    TestData data;

    @Inject
    TestTelemetry telemetry;

    @Inject
    DesiredStateService desired;

    @Inject
    DeviceStatusService status;

    EmulatedAgents agents;
    String operator;

    @BeforeEach
    void rollOutToThreeDevicesOneOfThemSlow() {
        data.reset();
        telemetry.reset();
        operator = Api.token("operator");
        Api.publish(operator, Onnx.reshape("place-1")).put("/api/v1/models/det/versions/1").then().statusCode(201);
        for (String id : List.of("p1", "p2", "p3")) {
            Api.admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", "device " + id,
                    "labels", Map.of("site", "place"), "capabilities", Map.of("engineGflops", 10.0)))
                    .post("/api/v1/devices").then().statusCode(201);
        }
        agents = new EmulatedAgents(desired, status, List.of("p1", "p2", "p3"));
        agents.p95Micros.put("p1", 5_000L);
        agents.p95Micros.put("p2", 5_000L);
        agents.p95Micros.put("p3", 500_000L); // far over the budget on the device itself
        String id = Api.as(operator).contentType(ContentType.JSON).body(Map.of("model", "det", "version", "1",
                        "selector", "site=place", "budgetMillis", 50, "waves", List.of("100%"), "bakeSeconds", 0,
                        "gates", Map.of("minRequests", 0)))
                .post("/api/v1/rollouts").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(Api.admin().get("/api/v1/rollouts/" + id)
                .then().extract().path("state")));
    }

    @AfterEach
    void stopAgents() throws InterruptedException {
        agents.close();
    }

    @Test
    void everyDeviceHasADecisionWithItsReasonAndASlowDeviceMovesToTheCloud() {
        await().atMost(Duration.ofSeconds(20)).until(() -> desired.desiredState("p3").getModels(0).getPlacement()
                == Placement.CLOUD && "5.0 ms".equals(edgeP95("p1")) && "5.0 ms".equals(edgeP95("p2")));
        JsonPath all = new JsonPath(Api.as(Api.token("viewer")).queryParam("model", "det").get(PLACEMENTS).then()
                .statusCode(200).extract().asString());
        assertThat(all.getList("items.device")).containsExactly("p1", "p2", "p3");
        assertThat(all.getList("items.deviceName")).containsExactly("device p1", "device p2", "device p3");
        assertThat(all.getList("items.placement")).containsExactly("EDGE", "EDGE", "CLOUD");
        assertThat(all.getList("items.version")).containsOnly("1");
        assertThat(all.getList("items.budgetMillis", Double.class)).containsOnly(50.0);
        assertThat(all.getList("items.violatesBudget", Boolean.class)).containsOnly(false);
        assertThat(all.getList("items.pinned", Boolean.class)).containsOnly(false);
        assertThat(all.getString("items[0].reason")).startsWith("edge p95 5.0 ms meets budget 50 ms");
        assertThat(all.getDouble("items[0].edgeP95Millis")).isEqualTo(5.0);
        assertThat(all.getString("items[2].reason")).startsWith("edge p95 500.0 ms > budget 50 ms; cloud p95 ")
                .contains("meets it");
        assertThat(all.getDouble("items[2].cloudP95Millis")).isBetween(10.0, 50.0);
        assertThat(all.getLong("items[2].inputs.edgeP95Micros")).isEqualTo(500_000L);
        assertThat(all.getDouble("items[2].inputs.device.engineGflops")).isEqualTo(10.0);
        assertThat(all.getString("items[2].edge.basis")).isEqualTo("MEASURED");
        assertThat(all.getList("items[2].assumptions", String.class)).anySatisfy(a -> assertThat(a)
                .startsWith("no RTT measured yet: assumed 10.0 ms"));

        // the device now serves through the cloud and measures nothing on the edge: the decision holds
        await().atMost(Duration.ofSeconds(10)).until(() -> "REMOTE".equals(Api.admin().get("/api/v1/devices/p3")
                .then().extract().path("status.installedModels[0].state")));
        awaitDecisionAfter("p3", decidedAt("p3"));
        Api.admin().get(PLACEMENTS + "/p3/det").then().statusCode(200).body("placement", equalTo("CLOUD"))
                .body("edge.basis", equalTo("MEASURED"));

        JsonPath history = new JsonPath(Api.admin().get(PLACEMENTS + "/p3/det/history").then().statusCode(200)
                .extract().asString());
        assertThat(history.getList("items.placement")).startsWith("CLOUD").contains("EDGE");
        assertThat(history.getString("items[0].reason")).contains("changed from edge");
    }

    @Test
    void aPinWinsOverTheBudgetReachesTheDesiredStateAtOnceAndUnpinningLetsTheRuleDecide() {
        await().atMost(Duration.ofSeconds(20)).until(() -> "5.0 ms".equals(edgeP95("p1")));
        String pinnedAt = Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "cloud"))
                .put(PLACEMENTS + "/p1/det/pin").then().statusCode(200)
                .body("pinned", equalTo("CLOUD")).body("placement.placement", equalTo("CLOUD"))
                .body("placement.pinned", equalTo(true)).body("placement.outcome", equalTo("PINNED"))
                .body("placement.reason", startsWith("pinned by operator to cloud; the rule alone would choose edge"))
                .extract().path("placement.decidedAt");
        assertThat(desired.desiredState("p1").getModels(0).getPlacement()).isEqualTo(Placement.CLOUD);
        awaitDecisionAfter("p1", pinnedAt);
        assertThat(desired.desiredState("p1").getModels(0).getPlacement()).as("the loop keeps the pin")
                .isEqualTo(Placement.CLOUD);

        Api.as(operator).delete(PLACEMENTS + "/p1/det/pin").then().statusCode(200)
                .body("pinned", equalTo(null)).body("placement.placement", equalTo("EDGE"));
        assertThat(desired.desiredState("p1").getModels(0).getPlacement()).isEqualTo(Placement.EDGE);
        Api.as(operator).delete(PLACEMENTS + "/p1/det/pin").then().statusCode(404).body("field", equalTo("model"));
    }

    @Test
    void pinsAreValidatedNamingTheField() {
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "moon"))
                .put(PLACEMENTS + "/p1/det/pin").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("placement"));
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "edge"))
                .put(PLACEMENTS + "/nope/det/pin").then().statusCode(404).body("field", equalTo("deviceId"));
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "edge"))
                .put(PLACEMENTS + "/p1/nope/pin").then().statusCode(404).body("field", equalTo("model"));
        Api.as(Api.token("viewer")).contentType(ContentType.JSON).body(Map.of("placement", "edge"))
                .put(PLACEMENTS + "/p1/det/pin").then().statusCode(403);
        Api.admin().get(PLACEMENTS + "/p1/other").then().statusCode(404).body("field", equalTo("model"));
        Api.admin().queryParam("device", "p2").get(PLACEMENTS).then().statusCode(200)
                .body("items.device", equalTo(List.of("p2")));
    }

    private static String decidedAt(String device) {
        return Api.admin().get(PLACEMENTS + "/" + device + "/det").then().extract().path("decidedAt");
    }

    /** Waits for the loop to decide again after the given decision. */
    private static void awaitDecisionAfter(String device, String decidedAt) {
        java.time.Instant before = java.time.Instant.parse(decidedAt);
        await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.parse(decidedAt(device)).isAfter(before));
    }

    private static String edgeP95(String device) {
        Float p = Api.admin().get(PLACEMENTS + "/" + device + "/det").then().extract().path("edgeP95Millis");
        return p == null ? null : String.format(java.util.Locale.ROOT, "%.1f ms", p);
    }
}
