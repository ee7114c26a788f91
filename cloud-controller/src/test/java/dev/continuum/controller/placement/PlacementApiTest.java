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
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import dev.continuum.controller.rollout.FleetFixture;
import dev.continuum.controller.telemetry.broker.EmbeddedBroker;
import dev.continuum.controller.telemetry.ingest.TelemetryIngest;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Placement through the API: a rollout places every device it updates, the loop re-evaluates as telemetry
 * arrives (latencies measured on the devices, their RTT and uplink), every decision says why, and an
 * operator's pin wins and reaches the device's desired state.
 */
@QuarkusTest
@TestProfile(RolloutLoopProfile.class)
class PlacementApiTest {
    static final String PLACEMENTS = "/api/v1/placements";

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

    FleetFixture fleet;
    EmulatedAgents agents;
    String operator;
    String p1;
    String p2;
    String p3;

    @BeforeEach
    void rollOutToThreeDevicesOneOfThemSlow() throws Exception {
        data.reset();
        await().atMost(Duration.ofSeconds(30)).until(ingest::ready);
        fleet = new FleetFixture(controller, broker.port());
        operator = Api.token("operator");
        Api.publish(operator, Onnx.reshape("place-1")).put("/api/v1/models/det/versions/1").then().statusCode(201);
        List<String> ids = fleet.enrol(3, Map.of("site", "place"));
        p1 = ids.get(0);
        p2 = ids.get(1);
        p3 = ids.get(2);
        for (String id : ids) {
            fleet.vitals(id, 8_000, 10_000_000);
        }
        agents = new EmulatedAgents(desired, status, fleet, ids);
        agents.traffic.put("1", new EmulatedAgents.Traffic(20, 0));
        ids.forEach(d -> agents.reportedP95Micros.put(d, 5_000L)); // what each agent measured after install...
        agents.latencyMicros.put(p3, 500_000L); // ...but its telemetry says it is far over the budget
        agents.latencyMicros.put(p1, 5_000L);
        agents.latencyMicros.put(p2, 5_000L);
        String id = Api.as(operator).contentType(ContentType.JSON).body(Map.of("model", "det", "version", "1",
                        "selector", "site=place", "budgetMillis", 50, "waves", List.of("100%"), "bakeSeconds", 0,
                        "gates", Map.of("minRequests", 0, "maxP95BudgetMultiple", 100)))
                .post("/api/v1/rollouts").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> !"RUNNING".equals(Api.admin().get("/api/v1/rollouts/" + id)
                .then().extract().path("state")));
        Api.admin().get("/api/v1/rollouts/" + id).then().body("state", equalTo("COMPLETED"));
    }

    @AfterEach
    void stopAgents() throws InterruptedException {
        agents.close();
        agents.check();
        fleet.close();
    }

    @Test
    void everyDeviceHasADecisionWithItsReasonAndASlowDeviceMovesToTheCloud() {
        await().atMost(Duration.ofSeconds(20)).until(() -> desired.desiredState(p3).getModels(0).getPlacement()
                == Placement.CLOUD && measured(p1) && measured(p2));
        JsonPath all = new JsonPath(Api.as(Api.token("viewer")).queryParam("model", "det").get(PLACEMENTS).then()
                .statusCode(200).extract().asString());
        assertThat(all.getList("items.device")).containsExactly(p1, p2, p3);
        assertThat(all.getList("items.deviceName")).containsExactlyInAnyOrder("device 0", "device 1", "device 2");
        assertThat(all.getList("items.placement")).containsExactly("EDGE", "EDGE", "CLOUD");
        assertThat(all.getList("items.version")).containsOnly("1");
        assertThat(all.getList("items.budgetMillis", Double.class)).containsOnly(50.0);
        assertThat(all.getList("items.violatesBudget", Boolean.class)).containsOnly(false);
        assertThat(all.getList("items.pinned", Boolean.class)).containsOnly(false);
        // telemetry quantiles are within one histogram bucket (about 9%) of the recorded latencies
        assertThat(all.getString("items[0].reason")).startsWith("edge p95 ").contains(" ms meets budget 50 ms");
        assertThat(all.getDouble("items[0].edgeP95Millis")).isBetween(4.5, 5.5);
        assertThat(all.getString("items[2].reason")).startsWith("edge p95 ").contains(" ms > budget 50 ms; cloud p95 ")
                .contains("(rtt 8.0 + transfer ").contains("meets it");
        assertThat(all.getDouble("items[2].edgeP95Millis")).as("telemetry, not the 5 ms the agent reported")
                .isBetween(450.0, 550.0);
        assertThat(all.getDouble("items[2].cloudP95Millis")).isBetween(8.0, 50.0);
        assertThat(all.getLong("items[2].inputs.device.rttP95Micros")).isEqualTo(8_000L);
        assertThat(all.getLong("items[2].inputs.device.uplinkBytesPerSecond")).isEqualTo(10_000_000L);
        assertThat(all.getDouble("items[2].inputs.device.engineGflops")).isEqualTo(10.0);
        assertThat(all.getString("items[2].edge.basis")).isEqualTo("MEASURED");
        assertThat(all.getList("items[2].assumptions", String.class)).noneSatisfy(a -> assertThat(a).contains("RTT"));

        // the device now serves through the cloud and measures nothing on the edge: the decision holds
        await().atMost(Duration.ofSeconds(10)).until(() -> "REMOTE".equals(Api.admin().get("/api/v1/devices/" + p3)
                .then().extract().path("status.installedModels[0].state")));
        awaitDecisionAfter(p3, decidedAt(p3));
        Api.admin().get(PLACEMENTS + "/" + p3 + "/det").then().statusCode(200).body("placement", equalTo("CLOUD"))
                .body("edge.basis", equalTo("MEASURED"));

        JsonPath history = new JsonPath(Api.admin().get(PLACEMENTS + "/" + p3 + "/det/history").then().statusCode(200)
                .extract().asString());
        assertThat(history.getList("items.placement")).startsWith("CLOUD").contains("EDGE");
        assertThat(history.getString("items[0].reason")).contains("changed from edge");
    }

    @Test
    void aPinWinsOverTheBudgetReachesTheDesiredStateAtOnceAndUnpinningLetsTheRuleDecide() {
        await().atMost(Duration.ofSeconds(20)).until(() -> measured(p1));
        String pinnedAt = Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "cloud"))
                .put(PLACEMENTS + "/" + p1 + "/det/pin").then().statusCode(200)
                .body("pinned", equalTo("CLOUD")).body("placement.placement", equalTo("CLOUD"))
                .body("placement.pinned", equalTo(true)).body("placement.outcome", equalTo("PINNED"))
                .body("placement.reason", startsWith("pinned by operator to cloud; the rule alone would choose edge"))
                .extract().path("placement.decidedAt");
        assertThat(desired.desiredState(p1).getModels(0).getPlacement()).isEqualTo(Placement.CLOUD);
        awaitDecisionAfter(p1, pinnedAt);
        assertThat(desired.desiredState(p1).getModels(0).getPlacement()).as("the loop keeps the pin")
                .isEqualTo(Placement.CLOUD);
        Api.admin().get(PLACEMENTS + "/" + p1 + "/det").then().body("outcome", equalTo("PINNED"));

        Api.as(operator).delete(PLACEMENTS + "/" + p1 + "/det/pin").then().statusCode(200)
                .body("pinned", equalTo(null)).body("placement.placement", equalTo("EDGE"));
        assertThat(desired.desiredState(p1).getModels(0).getPlacement()).isEqualTo(Placement.EDGE);
        Api.as(operator).delete(PLACEMENTS + "/" + p1 + "/det/pin").then().statusCode(404)
                .body("field", equalTo("model"));
    }

    @Test
    void pinsAreValidatedNamingTheField() {
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "moon"))
                .put(PLACEMENTS + "/" + p1 + "/det/pin").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("placement"));
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "edge"))
                .put(PLACEMENTS + "/nope/det/pin").then().statusCode(404).body("field", equalTo("deviceId"));
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("placement", "edge"))
                .put(PLACEMENTS + "/" + p1 + "/nope/pin").then().statusCode(404).body("field", equalTo("model"));
        Api.as(Api.token("viewer")).contentType(ContentType.JSON).body(Map.of("placement", "edge"))
                .put(PLACEMENTS + "/" + p1 + "/det/pin").then().statusCode(403);
        Api.admin().get(PLACEMENTS + "/" + p1 + "/other").then().statusCode(404).body("field", equalTo("model"));
        Api.admin().queryParam("device", p2).get(PLACEMENTS).then().statusCode(200)
                .body("items.device", equalTo(List.of(p2)));
        Api.admin().get(PLACEMENTS + "/" + p1 + "/det/history?limit=0").then().statusCode(400)
                .body("field", equalTo("limit"));
    }

    private static String decidedAt(String device) {
        return Api.admin().get(PLACEMENTS + "/" + device + "/det").then().extract().path("decidedAt");
    }

    /** Waits for the loop to decide again after the given decision. */
    private static void awaitDecisionAfter(String device, String decidedAt) {
        java.time.Instant before = java.time.Instant.parse(decidedAt);
        await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.parse(decidedAt(device)).isAfter(before));
    }

    /** Whether the device's current decision rests on a measured edge p95. */
    private static boolean measured(String device) {
        return "MEASURED".equals(Api.admin().get(PLACEMENTS + "/" + device + "/det").then().extract()
                .path("edge.basis"));
    }
}
