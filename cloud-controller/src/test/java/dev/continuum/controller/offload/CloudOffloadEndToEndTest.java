package dev.continuum.controller.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.agent.Agent;
import dev.continuum.agent.AgentConfig;
import dev.continuum.controller.agentlink.AgentLinkProfile;
import dev.continuum.controller.support.Api;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.TensorProtos;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Offloading end to end: the controller and two real agents in one JVM over real sockets. LeNet is
 * placed in the cloud on a slow device (emulated 8× slowdown) and on the edge of a fast one; the
 * slow device's applications call their local OIP endpoints unchanged, the controller answers, and
 * the answer is the one the fast device computes locally and PyTorch's reference.
 */
@QuarkusTest
@TestProfile(AgentLinkProfile.class)
class CloudOffloadEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LENET = Path.of("..", "tensor-engine", "src", "test", "resources", "models", "lenet");
    private static final float TOLERANCE = 1e-4f;

    @TestHTTPResource("/")
    URL controller;

    private final List<Agent> agents = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopAgents() {
        agents.forEach(Agent::stop);
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void aSlowDevicesRequestIsServedByTheCloudWithTheAnswerTheFastDeviceComputesLocally() throws Exception {
        String sha = Api.publish(Api.ADMIN_TOKEN, Files.readAllBytes(LENET.resolve("model.onnx")))
                .put("/api/v1/models/lenet/versions/1").then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)))
                .extract().path("sha256");
        Agent slow = startAgent("site=offload-slow", "8");
        Agent fast = startAgent("site=offload-fast", "1");
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.connected() && fast.connected());
        assign("site=offload-slow", "cloud");
        assign("site=offload-fast", "edge");
        await().atMost(Duration.ofSeconds(60)).until(() -> fast.server().get("lenet").isPresent());

        // the slow device reports the model REMOTE, with its local copy (for fallback) installed and measured
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode m = JSON.readTree(Api.admin().get("/api/v1/devices/" + slow.deviceId()).then().statusCode(200)
                    .extract().asString()).at("/status/installedModels/0");
            assertThat(m.get("state").asText()).isEqualTo("REMOTE");
            assertThat(m.get("sha256").asText()).isEqualTo(sha);
            assertThat(m.get("p50Micros").asLong()).isPositive();
        });
        Api.admin().get("/api/v1/assignments?device=" + slow.deviceId()).then().statusCode(200)
                .body("models[0].placement", org.hamcrest.Matchers.equalTo("cloud"));

        long servedInCloud = cloudSucceeded();
        String body = JSON.writeValueAsString(Map.of("id", "offload-1", "inputs", List.of(Map.of("name", "input",
                "datatype", "FP32", "shape", List.of(1, 1, 32, 32), "data", input().floatData()))));
        HttpResponse<String> viaCloud = post(slow, "/v2/models/lenet/infer", body);
        assertThat(viaCloud.statusCode()).as(viaCloud.body()).isEqualTo(200);
        assertThat(cloudSucceeded()).as("answered by the controller").isEqualTo(servedInCloud + 1);
        HttpResponse<String> onEdge = post(fast, "/v2/models/lenet/infer", body);
        assertThat(onEdge.statusCode()).isEqualTo(200);
        assertThat(cloudSucceeded()).as("the fast device ran it itself").isEqualTo(servedInCloud + 1);

        JsonNode cloudAnswer = JSON.readTree(viaCloud.body());
        JsonNode edgeAnswer = JSON.readTree(onEdge.body());
        assertThat(cloudAnswer.get("model_version").asText()).isEqualTo("1");
        assertThat(cloudAnswer.get("id").asText()).isEqualTo("offload-1");
        assertThat(cloudAnswer.get("outputs")).isEqualTo(edgeAnswer.get("outputs"));
        assertClose(floats(cloudAnswer.at("/outputs/0/data")), reference().floatData());

        // over the slow device's local gRPC endpoint too
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", slow.grpcPort()).usePlaintext().build();
        channels.add(ch);
        ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder().setName("input")
                .setDatatype("FP32").addShape(1).addShape(1).addShape(32).addShape(32);
        for (float f : input().floatData()) {
            in.getContentsBuilder().addFp32Contents(f);
        }
        ModelInferResponse grpc = GRPCInferenceServiceGrpc.newBlockingStub(ch)
                .modelInfer(ModelInferRequest.newBuilder().setModelName("lenet").addInputs(in).build());
        assertThat(grpc.getModelVersion()).isEqualTo("1");
        float[] grpcOut = new float[grpc.getOutputs(0).getContents().getFp32ContentsCount()];
        for (int i = 0; i < grpcOut.length; i++) {
            grpcOut[i] = grpc.getOutputs(0).getContents().getFp32Contents(i);
        }
        assertClose(grpcOut, reference().floatData());
        assertThat(cloudSucceeded()).isEqualTo(servedInCloud + 2);
        assertThat(slow.offloadFallbacks()).isZero();

        // metadata through the slow device comes from the controller, for the placed version
        HttpResponse<String> md = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.restPort()
                + "/v2/models/lenet")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(md.body()).get("versions").get(0).asText()).isEqualTo("1");

        // the slow device's telemetry counts both requests as offloaded (placement CLOUD), the fast one's none
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode t = JSON.readTree(Api.admin().get("/api/v1/devices/" + slow.deviceId() + "/telemetry").then()
                    .statusCode(200).extract().asString());
            assertThat(t.get("requests").asLong()).isEqualTo(2);
            assertThat(t.get("offloaded").asLong()).isEqualTo(2);
            assertThat(t.get("errors").asLong()).isZero();
            JsonNode f = JSON.readTree(Api.admin().get("/api/v1/devices/" + fast.deviceId() + "/telemetry").then()
                    .statusCode(200).extract().asString());
            assertThat(f.get("requests").asLong()).isEqualTo(1);
            assertThat(f.get("offloaded").asLong()).isZero();
        });
    }

    // ---- helpers

    private static Tensor input() {
        return TensorProtos.readFile(LENET.resolve("test_data_set_0").resolve("input_0.pb")).tensor();
    }

    private static Tensor reference() {
        return TensorProtos.readFile(LENET.resolve("test_data_set_0").resolve("output_0.pb")).tensor();
    }

    private static long cloudSucceeded() {
        List<Number> succeeded = Api.admin().get("/api/v1/inference/stats?model=lenet&version=1").then().statusCode(200)
                .extract().jsonPath().getList("versions.succeeded", Number.class);
        return succeeded.stream().mapToLong(Number::longValue).sum(); // none before the first cloud inference
    }

    private static void assign(String selector, String placement) {
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "1", "selector", selector,
                "placement", placement)).post("/api/v1/assignments").then().statusCode(201);
    }

    private static float[] floats(JsonNode data) {
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).floatValue();
        }
        return out;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("output[%d]: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(TOLERANCE + 1e-3f * Math.abs(expected[i]));
        }
    }

    private Agent startAgent(String labels, String slowdown) throws Exception {
        Path data = Files.createTempDirectory("continuum-offload-e2e-");
        String token = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "offload-e2e"))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("controller", "http://" + controller.getHost() + ":" + controller.getPort());
        c.put("bootstrap-token", token);
        c.put("name", "offload-" + data.getFileName());
        c.put("labels", labels);
        c.put("data-dir", data.toString());
        c.put("http-port", "0");
        c.put("grpc-port", "0");
        c.put("engine-threads", "1");
        c.put("heartbeat-interval", "1");
        c.put("reconnect-min", "0.1");
        c.put("reconnect-max", "1");
        c.put("emulate-slowdown", slowdown);
        c.put("telemetry-interval", "500ms");
        Agent agent = new Agent(AgentConfig.fromMap(c)).start();
        agents.add(agent);
        return agent;
    }

    private HttpResponse<String> post(Agent agent, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.restPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
