package dev.continuum.controller.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.continuum.agent.Agent;
import dev.continuum.agent.AgentConfig;
import dev.continuum.controller.support.Api;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.v1.AgentLinkGrpc;
import dev.continuum.proto.v1.AgentMessage;
import dev.continuum.proto.v1.ArtifactTransferGrpc;
import dev.continuum.proto.v1.Chunk;
import dev.continuum.proto.v1.ControllerMessage;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.FetchRequest;
import dev.continuum.proto.v1.Hello;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller and real edge agents in one JVM over real sockets: enrolment, assignment, resumable
 * verified download, and inference on the device over OIP v2 REST and gRPC against PyTorch's outputs.
 */
@QuarkusTest
@TestProfile(AgentLinkProfile.class)
class AgentLinkEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 16 * 1024;
    private static final float TOLERANCE = 1e-4f;

    @TestHTTPResource("/")
    URL controller;

    @Inject
    TestChunkTap tap;

    @Inject
    TransferStats stats;

    private final List<Agent> agents = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String sha;
    private long size;

    @BeforeEach
    void publishLenet() {
        tap.reset();
        var r = Api.publish(Api.ADMIN_TOKEN, LenetFixture.onnx()).put("/api/v1/models/lenet/versions/1")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)))
                .extract();
        sha = r.path("sha256");
        size = ((Number) r.path("sizeBytes")).longValue();
    }

    @AfterEach
    void stopAgents() {
        tap.reset();
        agents.forEach(Agent::stop);
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void anAgentEnrolsDownloadsItsAssignedModelAndServesItOverRestAndGrpc() throws Exception {
        Agent agent = startAgent(tempDir(), bootstrapToken(), "site=e2e-serve");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.deviceId() != null && agent.connected());

        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("model", "lenet", "version", "1", "selector", "site=e2e-serve"))
                .post("/api/v1/assignments").then().statusCode(201)
                .body("sha256", org.hamcrest.Matchers.equalTo(sha))
                .body("devices.deviceId", org.hamcrest.Matchers.contains(agent.deviceId()));
        awaitServing(agent);

        LenetFixture.FloatTensor in = LenetFixture.input();
        LenetFixture.FloatTensor expected = LenetFixture.output();

        // REST
        Map<String, Object> body = Map.of("id", "r1", "inputs", List.of(Map.of("name", "input", "datatype", "FP32",
                "shape", in.dims(), "data", in.data())));
        HttpResponse<String> rest = post(agent, "/v2/models/lenet/infer", JSON.writeValueAsString(body));
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        JsonNode out = JSON.readTree(rest.body()).get("outputs").get(0);
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(JSON.readTree(rest.body()).get("model_version").asText()).isEqualTo("1");
        float[] restOut = new float[out.get("data").size()];
        for (int i = 0; i < restOut.length; i++) {
            restOut[i] = out.get("data").get(i).floatValue();
        }
        assertClose(restOut, expected.data());

        // gRPC, raw contents
        ManagedChannel ch = channel("127.0.0.1", agent.grpcPort());
        ByteBuffer raw = ByteBuffer.allocate(in.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(in.data());
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32");
        for (long d : in.dims()) {
            input.addShape(d);
        }
        ModelInferResponse resp = GRPCInferenceServiceGrpc.newBlockingStub(ch).modelInfer(ModelInferRequest.newBuilder()
                .setModelName("lenet").addInputs(input).addRawInputContents(ByteString.copyFrom(raw.array())).build());
        float[] grpcOut = new float[resp.getRawOutputContents(0).size() / 4];
        resp.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(grpcOut);
        assertClose(grpcOut, expected.data());

        // gRPC, typed contents
        input.getContentsBuilder();
        ModelInferRequest.InferInputTensor.Builder typed = input.clone();
        for (float f : in.data()) {
            typed.getContentsBuilder().addFp32Contents(f);
        }
        ModelInferResponse typedResp = GRPCInferenceServiceGrpc.newBlockingStub(ch).modelInfer(
                ModelInferRequest.newBuilder().setModelName("lenet").addInputs(typed).build());
        float[] typedOut = new float[typedResp.getOutputs(0).getContents().getFp32ContentsCount()];
        for (int i = 0; i < typedOut.length; i++) {
            typedOut[i] = typedResp.getOutputs(0).getContents().getFp32Contents(i);
        }
        assertClose(typedOut, expected.data());

        // the device reports its profile and the model's measured latency
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode d = JSON.readTree(Api.admin().get("/api/v1/devices/" + agent.deviceId()).then().statusCode(200)
                    .extract().asString());
            assertThat(d.at("/capabilities/engineGflops").asDouble()).isPositive();
            assertThat(d.at("/capabilities/cores").asInt()).isPositive();
            assertThat(d.at("/status/agentVersion").asText()).isNotBlank();
            JsonNode m = d.at("/status/installedModels/0");
            assertThat(m.get("state").asText()).isEqualTo("SERVING");
            assertThat(m.get("sha256").asText()).isEqualTo(sha);
            assertThat(m.get("p95Micros").asLong()).isGreaterThanOrEqualTo(m.get("p50Micros").asLong()).isPositive();
        });
        Api.admin().get("/api/v1/assignments?device=" + agent.deviceId()).then().statusCode(200)
                .body("models[0].model", org.hamcrest.Matchers.equalTo("lenet"))
                .body("models[0].placement", org.hamcrest.Matchers.equalTo("edge"));
    }

    @Test
    void aKilledDownloadResumesFromItsOffsetWhenTheAgentStartsAgain() throws Exception {
        Path data = tempDir();
        String token = bootstrapToken();
        tap.delayMillis = 150; // slow enough to stop the agent mid-transfer
        Agent first = startAgent(data, token, "site=e2e-resume");
        await().atMost(Duration.ofSeconds(20)).until(() -> first.deviceId() != null && first.connected());
        long sentBefore = stats.bytesSent(sha);
        assign("site=e2e-resume");
        Path part = data.resolve("downloads").resolve(sha + ".part");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> Files.exists(part) && Files.size(part) >= size * 2 / 5);
        first.stop(); // mid-download: the transfer is cut, the part file stays
        long kept = Files.size(part);
        assertThat(kept).isBetween(size * 2 / 5, size - 1);
        assertThat(first.server().names()).isEmpty();

        tap.delayMillis = 0;
        long sentAtRestart = stats.bytesSent(sha);
        assertThat(sentAtRestart - sentBefore).isLessThan(size);
        Agent second = startAgent(data, null, "site=e2e-resume"); // no token: it enrolled already
        awaitServing(second);
        assertThat(second.deviceId()).isEqualTo(first.deviceId());
        long sentAgain = stats.bytesSent(sha) - sentAtRestart;
        // exactly the missing tail, plus at most one chunk the first agent's cancelled transfer was still sending
        assertThat(sentAgain).as("bytes sent after the restart").isBetween(size - kept, size - kept + CHUNK)
                .isLessThan(size * 3 / 5);
        assertThat(Files.exists(part)).isFalse();
        assertThat(data.resolve("models").resolve("sha256").resolve(sha)).exists();
        assertInfersLenet(second);
    }

    @Test
    void aCorruptedChunkIsFetchedAgainAndTheCorruptedBytesAreNeverLoaded() throws Exception {
        tap.corruptOffset = 2L * CHUNK;
        tap.corruptionsLeft.set(1);
        Agent agent = startAgent(tempDir(), bootstrapToken(), "site=e2e-corrupt");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.deviceId() != null && agent.connected());
        long sentBefore = stats.bytesSent(sha);
        assign("site=e2e-corrupt");
        awaitServing(agent);
        assertThat(tap.corrupted.get()).isEqualTo(1);
        // the bad chunk was refetched: more than the artifact went over the wire, and what is served is intact
        assertThat(stats.bytesSent(sha) - sentBefore).isGreaterThan(size);
        assertThat(agent.server().get("lenet").orElseThrow().sha256()).isEqualTo(sha);
        assertInfersLenet(agent);
    }

    @Test
    void anArtifactThatKeepsArrivingCorruptedIsReportedAndNeverServed() throws Exception {
        tap.corruptOffset = CHUNK;
        tap.corruptionsLeft.set(Integer.MAX_VALUE);
        Agent agent = startAgent(tempDir(), bootstrapToken(), "site=e2e-bad");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.deviceId() != null && agent.connected());
        assign("site=e2e-bad");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode m = JSON.readTree(Api.admin().get("/api/v1/devices/" + agent.deviceId()).then().statusCode(200)
                    .extract().asString()).at("/status/installedModels/0");
            assertThat(m.get("state").asText()).isEqualTo("FAILED");
            assertThat(m.get("error").asText()).startsWith("verify:").contains("failed verification");
        });
        assertThat(agent.server().names()).isEmpty();
        HttpResponse<String> r = post(agent, "/v2/models/lenet/infer", "{\"inputs\":[]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown model 'lenet'");
    }

    @Test
    void aWrongBootstrapTokenIsRefused() throws Exception {
        ManagedChannel ch = channel(controller.getHost(), controller.getPort());
        assertThatThrownBy(() -> DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(EnrolRequest.newBuilder()
                .setBootstrapToken("ctb_not-a-real-token").setName("intruder").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

        Path data = tempDir();
        Agent agent = startAgent(data, "ctb_wrong", "site=e2e-wrong");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(agent.health())
                .anySatisfy(h -> assertThat(h.detail()).contains("UNAUTHENTICATED")));
        assertThat(agent.deviceId()).isNull();
        assertThat(data.resolve("identity.properties")).doesNotExist();

        // a token used up is refused too
        String once = Api.admin().contentType(ContentType.JSON).body(Map.of("maxUses", 1))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        enrol(ch, once, "first");
        assertThatThrownBy(() -> enrol(ch, once, "second")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).contains("used 1 of 1 times"));
    }

    @Test
    void aRetriedEnrolmentGetsItsDeviceBackWithoutUsingTheTokenAgain() throws Exception {
        ManagedChannel ch = channel(controller.getHost(), controller.getPort());
        String once = Api.admin().contentType(ContentType.JSON).body(Map.of("maxUses", 1))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        EnrolRequest request = EnrolRequest.newBuilder().setBootstrapToken(once).setName("retrying")
                .setEnrolmentId("6f1c2a9e-retry").build();
        EnrolResponse lost = DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(request); // the agent never saw this answer
        EnrolResponse retried = DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(request);

        assertThat(retried.getDeviceId()).isEqualTo(lost.getDeviceId());
        assertThat(retried.getCredential()).isNotEqualTo(lost.getCredential());
        assertThat(firstMessage(ch, retried.getCredential()).hasDesiredState()).isTrue();
        assertThat(firstReply(ch, lost.getCredential())).as("the first credential was replaced")
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(Api.admin().get("/api/v1/devices").then().extract().jsonPath().getList("items.name"))
                .as("one device, not two").containsOnlyOnce("retrying");

        assertThatThrownBy(() -> DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(request.toBuilder()
                .setEnrolmentId("another-agent").build())).as("the token's one use is spent")
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).contains("used 1 of 1 times"));
        assertThatThrownBy(() -> DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(request.toBuilder()
                .setEnrolmentId("not valid!").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("enrolment_id:");
                });
    }

    @Test
    void aDeviceCannotFetchAnotherDevicesDesiredStateOrArtifacts() throws Exception {
        ManagedChannel ch = channel(controller.getHost(), controller.getPort());
        String token = Api.admin().contentType(ContentType.JSON).body(Map.of("labels", Map.of("site", "e2e-isolation")))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        EnrolResponse a = enrol(ch, token, "device-a");
        EnrolResponse b = enrol(ch, token, "device-b");
        Api.admin().contentType(ContentType.JSON).body(Map.of("labels", Map.of("b", "yes")))
                .patch("/api/v1/devices/" + b.getDeviceId()).then().statusCode(200);
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "1", "selector",
                "site=e2e-isolation,!b")).post("/api/v1/assignments").then().statusCode(201)
                .body("devices.deviceId", org.hamcrest.Matchers.contains(a.getDeviceId()));

        // device A fetches its artifact; device B may not, nor may a caller without a valid credential
        Iterator<Chunk> own = ArtifactTransferGrpc.newBlockingStub(ch).withCallCredentials(bearer(a.getCredential()))
                .fetch(FetchRequest.newBuilder().setSha256(sha).setOffset(size - 10).build());
        assertThat(own.next().getData().size()).isEqualTo(10);
        assertThatThrownBy(() -> ArtifactTransferGrpc.newBlockingStub(ch).withCallCredentials(bearer(b.getCredential()))
                .fetch(FetchRequest.newBuilder().setSha256(sha).build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> ArtifactTransferGrpc.newBlockingStub(ch).fetch(FetchRequest.newBuilder()
                .setSha256(sha).build()).hasNext()).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> ArtifactTransferGrpc.newBlockingStub(ch).withCallCredentials(bearer("ctd_forged"))
                .fetch(FetchRequest.newBuilder().setSha256(sha).build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

        // each credential's sync stream carries that device's desired state and nothing else
        ControllerMessage forB = firstMessage(ch, b.getCredential());
        assertThat(forB.getDesiredState().getDeviceId()).isEqualTo(b.getDeviceId());
        assertThat(forB.getDesiredState().getModelsList()).isEmpty();
        ControllerMessage forA = firstMessage(ch, a.getCredential());
        assertThat(forA.getDesiredState().getDeviceId()).isEqualTo(a.getDeviceId());
        assertThat(forA.getDesiredState().getModels(0).getSha256()).isEqualTo(sha);
    }

    @Test
    void assignmentsAreValidatedNamingTheField() {
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "selector", "x=y"))
                .post("/api/v1/assignments").then().statusCode(400).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo("version"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "1"))
                .post("/api/v1/assignments").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("selector"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "1", "selector", "a in (b"))
                .post("/api/v1/assignments").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("selector"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "9", "selector", "x=y"))
                .post("/api/v1/assignments").then().statusCode(404).body("field", org.hamcrest.Matchers.equalTo("version"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "alias", "nope", "selector", "x=y"))
                .post("/api/v1/assignments").then().statusCode(404).body("field", org.hamcrest.Matchers.equalTo("alias"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("model", "lenet", "version", "1", "selector", "x=y", "placement", "moon"))
                .post("/api/v1/assignments").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("placement"));
        Api.as(Api.token("deployer")).contentType(ContentType.JSON)
                .body(Map.of("model", "lenet", "version", "1", "selector", "x=y"))
                .post("/api/v1/assignments").then().statusCode(403);
    }

    // ---- helpers

    private void assign(String selector) {
        Api.admin().contentType(ContentType.JSON).body(Map.of("model", "lenet", "version", "1", "selector", selector))
                .post("/api/v1/assignments").then().statusCode(201);
    }

    private void awaitServing(Agent agent) {
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.server().get("lenet").isPresent());
    }

    private void assertInfersLenet(Agent agent) throws Exception {
        LenetFixture.FloatTensor in = LenetFixture.input();
        Map<String, Object> body = Map.of("inputs", List.of(Map.of("name", "input", "datatype", "FP32",
                "shape", in.dims(), "data", in.data())));
        HttpResponse<String> r = post(agent, "/v2/models/lenet/infer", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(r.body()).at("/outputs/0/data");
        float[] got = new float[data.size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = data.get(i).floatValue();
        }
        assertClose(got, LenetFixture.output().data());
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("output[%d]: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(TOLERANCE + 1e-3f * Math.abs(expected[i]));
        }
    }

    private Agent startAgent(Path dataDir, String token, String labels) throws Exception {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("controller", "http://" + controller.getHost() + ":" + controller.getPort());
        if (token != null) {
            c.put("bootstrap-token", token);
        }
        c.put("name", "e2e-" + dataDir.getFileName());
        c.put("labels", labels);
        c.put("data-dir", dataDir.toString());
        c.put("http-port", "0");
        c.put("grpc-port", "0");
        c.put("engine-threads", "1");
        c.put("heartbeat-interval", "1");
        c.put("reconnect-min", "0.1");
        c.put("reconnect-max", "1");
        c.put("chunk-size", String.valueOf(CHUNK));
        Agent agent = new Agent(AgentConfig.fromMap(c)).start();
        agents.add(agent);
        return agent;
    }

    private static String bootstrapToken() {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("name", "e2e"))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
    }

    private static Path tempDir() throws IOException {
        return Files.createTempDirectory("continuum-agent-e2e-");
    }

    private HttpResponse<String> post(Agent agent, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.restPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private ManagedChannel channel(String host, int port) {
        ManagedChannel ch = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        channels.add(ch);
        return ch;
    }

    private static EnrolResponse enrol(ManagedChannel ch, String token, String name) {
        return DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(EnrolRequest.newBuilder().setBootstrapToken(token)
                .setName(name).build());
    }

    private static ControllerMessage firstMessage(ManagedChannel ch, String credential) throws InterruptedException {
        Object first = firstReply(ch, credential);
        assertThat(first).isInstanceOf(ControllerMessage.class);
        return (ControllerMessage) first;
    }

    /** The first message or error on a sync stream opened with the credential. */
    private static Object firstReply(ManagedChannel ch, String credential) throws InterruptedException {
        LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
        StreamObserver<AgentMessage> req = AgentLinkGrpc.newStub(ch).withCallCredentials(bearer(credential))
                .sync(new StreamObserver<>() {
                    @Override
                    public void onNext(ControllerMessage m) {
                        got.add(m);
                    }

                    @Override
                    public void onError(Throwable t) {
                        got.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        req.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion("test")).build());
        Object first = got.poll(10, TimeUnit.SECONDS);
        req.onCompleted();
        return first;
    }

    private static CallCredentials bearer(String credential) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
                applier.apply(m);
            }
        };
    }
}
