package dev.continuum.controller.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.controller.agentlink.AgentLinkProfile;
import dev.continuum.controller.support.Api;
import dev.continuum.simulator.Fleet;
import dev.continuum.simulator.SimulatorConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fleet simulator against a real controller: 20 simulated devices enrol, hold their sync streams,
 * fetch and verify the model assigned to them over the transfer protocol, and publish telemetry over
 * MQTT (the controller's embedded broker) that the controller ingests and counts per model version,
 * including the errors of a version the simulator is told is bad.
 */
@QuarkusTest
@TestProfile(AgentLinkProfile.class)
class FleetSimulatorEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 20;

    @TestHTTPResource("/")
    URL controller;

    @Test
    void twentySimulatedDevicesEnrolFetchTheirModelAndReportTelemetryTheControllerCounts() throws Exception {
        Api.publish(Api.ADMIN_TOKEN, Files.readAllBytes(Path.of("..", "tensor-engine", "src", "test", "resources",
                        "models", "lenet", "model.onnx"))).put("/api/v1/models/lenet/versions/1").then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
        String label = "sim-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "simulator", "maxUses", DEVICES))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        Path data = Files.createTempDirectory("continuum-sim-e2e-");
        SimulatorConfig config = SimulatorConfig.parse(List.of("--controller",
                "http://" + controller.getHost() + ":" + controller.getPort(), "--bootstrap-token", token,
                "--devices", String.valueOf(DEVICES), "--labels", "fleet=" + label, "--rate", "20",
                "--slowdown-spread", "1..10", "--rtt-millis", "5..50", "--bad-version", "lenet:1=0.25",
                "--connections", "2", "--ramp", "200", "--heartbeat-interval", "1", "--telemetry-interval", "500ms",
                "--status-interval", "1h", "--data-dir", data.toString()), 4.0);

        try (Fleet fleet = new Fleet(config).start(line -> { })) {
            await().atMost(Duration.ofSeconds(60)).until(() -> fleet.status().connected() == DEVICES);
            Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "1",
                    "selector", "fleet=" + label)).post("/api/v1/assignments").then().statusCode(201)
                    .body("devices.size()", org.hamcrest.Matchers.equalTo(DEVICES));

            // every device fetched and verified the artifact itself, and reports it served
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Fleet.Status s = fleet.status();
                assertThat(s.serving()).containsEntry("lenet:1", DEVICES);
                assertThat(s.fetched()).isEqualTo(DEVICES);
            });
            assertThat(Files.list(data.resolve("artifacts")).count()).as("one copy on disk").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode list = JSON.readTree(Api.admin().get("/api/v1/devices?selector=fleet=" + label + "&limit=100")
                        .then().statusCode(200).extract().asString());
                JsonNode items = list.has("items") ? list.get("items") : list;
                assertThat(items).hasSize(DEVICES);
                for (JsonNode d : items) {
                    JsonNode m = JSON.readTree(Api.admin().get("/api/v1/devices/" + d.get("id").asText()).then()
                            .statusCode(200).extract().asString()).at("/status/installedModels/0");
                    assertThat(m.get("state").asText()).isEqualTo("SERVING");
                    assertThat(m.get("p95Micros").asLong()).isPositive();
                }
            });

            // their telemetry arrives over MQTT and is counted, bad-version errors included
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode t = JSON.readTree(Api.admin().get("/api/v1/models/lenet/versions/1/telemetry").then()
                        .statusCode(200).extract().asString());
                List<String> ids = fleet.deviceIds();
                long fromFleet = 0;
                long errors = 0;
                int devices = 0;
                for (JsonNode line : t.get("devices")) {
                    if (ids.contains(line.get("deviceId").asText())) {
                        devices++;
                        fromFleet += line.get("requests").asLong();
                        errors += line.get("errors").asLong();
                    }
                }
                assertThat(devices).isEqualTo(DEVICES);
                assertThat(fromFleet).isGreaterThan(100);
                assertThat(errors).isPositive().isLessThan(fromFleet / 2);
            });
        }
    }
}
