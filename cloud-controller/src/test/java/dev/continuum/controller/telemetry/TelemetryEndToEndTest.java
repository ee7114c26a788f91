package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.agent.Agent;
import dev.continuum.agent.AgentConfig;
import dev.continuum.controller.agentlink.LenetFixture;
import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.RequiresMosquitto;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real edge agent, the Mosquitto at 127.0.0.1:1883 and the controller: the requests the agent
 * serves are counted by the controller's aggregates exactly once, errors included.
 */
@QuarkusTest
@TestProfile(TelemetryEmbeddedProfile.class)
@RequiresMosquitto
class TelemetryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERVED = 37;

    @TestHTTPResource("/")
    URL controller;

    @Test
    void everyRequestAnAgentServesIsCountedOnceInTheDeviceAndModelVersionAggregates() throws Exception {
        Api.publish(Api.ADMIN_TOKEN, LenetFixture.onnx()).put("/api/v1/models/lenet-tel/versions/1")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
        String token = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "telemetry-e2e"))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("controller", "http://" + controller.getHost() + ":" + controller.getPort());
        c.put("bootstrap-token", token);
        c.put("name", "telemetry-e2e");
        c.put("labels", "site=telemetry-e2e");
        c.put("data-dir", Files.createTempDirectory("continuum-telemetry-e2e-").toString());
        c.put("http-port", "0");
        c.put("grpc-port", "-1");
        c.put("heartbeat-interval", "1");
        c.put("telemetry-interval", "0.2");
        try (Agent agent = new Agent(AgentConfig.fromMap(c)).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.deviceId() != null && agent.connected());
            Api.admin().contentType(ContentType.JSON)
                    .body(Map.of("model", "lenet-tel", "version", "1", "selector", "site=telemetry-e2e"))
                    .post("/api/v1/assignments").then().statusCode(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.server().get("lenet-tel").isPresent());

            LenetFixture.FloatTensor in = LenetFixture.input();
            String good = JSON.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "input", "datatype", "FP32",
                    "shape", in.dims(), "data", in.data()))));
            String badShape = JSON.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "input", "datatype", "FP32",
                    "shape", List.of(1, 2), "data", List.of(1, 2)))));
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < SERVED; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.restPort()
                        + "/v2/models/lenet-tel/infer")).POST(HttpRequest.BodyPublishers.ofString(i == 0 ? badShape : good))
                        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(i == 0 ? 400 : 200);
            }

            String device = agent.deviceId();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonPath d = Api.admin().get("/api/v1/devices/" + device + "/telemetry").then().statusCode(200)
                        .extract().jsonPath();
                assertThat(d.getLong("requests")).isEqualTo(SERVED);
            });
            // the agent keeps publishing (idle batches): the count must not grow, nor be counted twice
            Thread.sleep(1000);
            JsonPath d = Api.admin().get("/api/v1/devices/" + device + "/telemetry").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(d.getLong("requests")).isEqualTo(SERVED);
            assertThat(d.getLong("errors")).isEqualTo(1);
            assertThat(d.getLong("offloaded")).isZero();
            assertThat(d.getDouble("p95Millis")).isPositive();
            JsonPath v = Api.admin().get("/api/v1/models/lenet-tel/versions/1/telemetry").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(v.getLong("requests")).isEqualTo(SERVED);
            assertThat(v.getLong("errors")).isEqualTo(1);
            assertThat(v.getDouble("p50Millis")).isPositive().isLessThanOrEqualTo(v.getDouble("p99Millis"));
        }
    }
}
