package dev.continuum.agent.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.agent.FakeController;
import dev.continuum.agent.link.Identity;
import dev.continuum.agent.serving.GrpcInferenceApi;
import dev.continuum.agent.serving.InferenceService;
import dev.continuum.agent.serving.ModelServer;
import dev.continuum.agent.serving.RestApi;
import dev.continuum.agent.serving.ServedModel;
import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.agent.telemetry.UplinkEstimate;
import dev.continuum.engine.Model;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataRequest;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local OIP APIs forward requests for a model placed in the cloud to a fake controller (REST on a
 * real port, gRPC in process): same paths and answers for the caller, the device credential on the
 * way, CLOUD telemetry, and a local run or a 503 naming the reason when the controller is unreachable.
 */
class OffloadTest {
    private static final CloudTarget LENET = new CloudTarget("lenet", "1", "sha-lenet-1");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ModelServer server = new ModelServer();
    private final RequestRecorder recorder = new RequestRecorder();
    private final UplinkEstimate uplink = new UplinkEstimate();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private volatile Optional<CloudTarget> placed = Optional.of(LENET);
    private FakeOipController controller;
    private Offloader offloader;
    private RestApi rest;
    private GrpcInferenceApi grpc;
    private ManagedChannel toAgent;

    @BeforeEach
    void startController() throws Exception {
        controller = new FakeOipController();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.clear();
        controller.close();
    }

    /** The agent's local APIs forwarding to {@code controllerUri} and {@code channel}. */
    private void startAgentApis(URI controllerUri, ManagedChannel channel, Duration timeout, boolean fallback)
            throws Exception {
        closing.add(channel::shutdownNow);
        CloudClient client = new CloudClient(controllerUri, CloudClient.httpClient(Duration.ofSeconds(1)), timeout,
                () -> channel, () -> new Identity("dev-1", FakeOipController.CREDENTIAL));
        offloader = new Offloader(m -> m.equals("lenet") ? placed : Optional.empty(), client,
                t -> server.get(t.model()).filter(s -> s.sha256().equals(t.sha256())).isPresent(), recorder, uplink,
                fallback);
        InferenceService service = new InferenceService(server, () -> true, "test", recorder);
        rest = new RestApi(service, offloader, "127.0.0.1", 0, 2);
        rest.start();
        closing.add(rest::stop);
        grpc = new GrpcInferenceApi(service, offloader, "127.0.0.1", 0);
        grpc.start();
        closing.add(grpc::stop);
        toAgent = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        closing.add(toAgent::shutdownNow);
    }

    private void startAgentApis() throws Exception {
        startAgentApis(controller.uri(), controller.channel(), Duration.ofSeconds(5), true);
    }

    private void startAgentApisWithControllerGone(boolean fallback) throws Exception {
        startAgentApis(deadPort(), InProcessChannelBuilder.forName("no-such-controller").build(), Duration.ofSeconds(5),
                fallback);
    }

    private void loadLocalCopy() {
        Model m = Model.load(FakeController.lenetBytes());
        server.swap(new ServedModel("lenet", "1", LENET.sha256(), m, m.newSession()));
    }

    @Test
    void aRestInferenceForAModelPlacedInTheCloudIsForwardedWithTheDeviceCredentialAndAnswersAsALocalRun()
            throws Exception {
        startAgentApis();
        HttpResponse<String> cloud = post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024));
        assertThat(cloud.statusCode()).as(cloud.body()).isEqualTo(200);
        assertThat(controller.rest).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).as("the placed version, exactly").isEqualTo("/v2/models/lenet/versions/1/infer");
            assertThat(s.authorization()).isEqualTo("Bearer " + FakeOipController.CREDENTIAL);
        });
        assertThat(only(recorder.drain())).satisfies(t -> {
            assertThat(t.getPlacement()).isEqualTo(Placement.CLOUD);
            assertThat(t.getVersion()).isEqualTo("1");
            assertThat(t.getRequests()).isEqualTo(1);
            assertThat(t.getErrors()).isZero();
            assertThat(t.getLatency().getSumMicros()).isPositive();
        });
        assertThat(uplink.bytesPerSecond()).as("estimated from the forwarded body").isPositive();

        // the same request answered on the device gives the same bytes
        loadLocalCopy();
        placed = Optional.empty();
        HttpResponse<String> local = post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024));
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(cloud.body()).isEqualTo(local.body());
        assertThat(only(recorder.drain()).getPlacement()).isEqualTo(Placement.EDGE);
        assertThat(controller.infers.get()).isEqualTo(1);
    }

    @Test
    void theControllersErrorsArePassedThroughWithItsStatusAndCountedAsCloudErrors() throws Exception {
        startAgentApis();
        HttpResponse<String> r = post("/v2/models/lenet/infer", body("[1,1,16,64]", 1024));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"error\":").contains("input");
        assertThat(only(recorder.drain())).satisfies(t -> {
            assertThat(t.getPlacement()).isEqualTo(Placement.CLOUD);
            assertThat(t.getErrors()).isEqualTo(1);
        });
    }

    @Test
    void aVersionOtherThanThePlacedOneIsNotFoundNamingThePlacedVersionAndNotForwarded() throws Exception {
        startAgentApis();
        HttpResponse<String> r = post("/v2/models/lenet/versions/2/infer", body("[1,1,32,32]", 1024));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("version '2' is not served").contains("version '1' (placed in the cloud)");
        assertThat(controller.rest).isEmpty();
        assertThat(post("/v2/models/lenet/versions/1/infer", body("[1,1,32,32]", 1024)).statusCode()).isEqualTo(200);
    }

    @Test
    void metadataAndReadinessAreForwardedToo() throws Exception {
        startAgentApis();
        HttpResponse<String> md = get("/v2/models/lenet");
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.body()).contains("\"name\":\"lenet\"").contains("\"inputs\"");
        assertThat(get("/v2/models/lenet/versions/1/ready").statusCode()).isEqualTo(200);
        assertThat(controller.rest).extracting(FakeOipController.Seen::path)
                .containsExactly("/v2/models/lenet/versions/1", "/v2/models/lenet/versions/1/ready");
        assertThat(GRPCInferenceServiceGrpc.newBlockingStub(toAgent).modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("lenet").build()).getVersionsList()).containsExactly("1");
        assertThat(recorder.drain()).as("metadata and readiness are not inference requests").isEmpty();
    }

    @Test
    void grpcInferenceIsForwardedAsGrpcWithTheDeviceCredentialAndThePlacedVersion() throws Exception {
        startAgentApis();
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(toAgent);
        ModelInferResponse cloud = stub.modelInfer(grpcRequest(1024));
        assertThat(controller.grpcRequests).singleElement()
                .satisfies(q -> assertThat(q.getModelVersion()).isEqualTo("1"));
        assertThat(controller.grpcAuthorizations).containsExactly("Bearer " + FakeOipController.CREDENTIAL);
        assertThat(only(recorder.drain()).getPlacement()).isEqualTo(Placement.CLOUD);

        loadLocalCopy();
        placed = Optional.empty();
        assertThat(stub.modelInfer(grpcRequest(1024))).isEqualTo(cloud);

        placed = Optional.of(LENET);
        assertThatThrownBy(() -> stub.modelInfer(grpcRequest(3))).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as("the controller's status").isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void whenTheControllerIsUnreachableALoadedLocalCopyAnswersAndIsCountedAsEdge() throws Exception {
        startAgentApisWithControllerGone(true);
        loadLocalCopy();
        assertThat(post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024)).statusCode()).isEqualTo(200);
        assertThat(GRPCInferenceServiceGrpc.newBlockingStub(toAgent).modelInfer(grpcRequest(1024)).getModelVersion())
                .isEqualTo("1");
        assertThat(get("/v2/models/lenet/ready").statusCode()).isEqualTo(200);
        assertThat(only(recorder.drain())).satisfies(t -> {
            assertThat(t.getPlacement()).isEqualTo(Placement.EDGE);
            assertThat(t.getRequests()).isEqualTo(2);
        });
        assertThat(offloader.fallbacks()).isEqualTo(3);
    }

    @Test
    void whenTheControllerIsUnreachableAndNoLocalCopyIsLoadedTheAnswerIs503NamingTheReason() throws Exception {
        URI dead = deadPort();
        startAgentApis(dead, InProcessChannelBuilder.forName("no-such-controller").build(), Duration.ofSeconds(5), true);
        HttpResponse<String> r = post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"error\":\"model 'lenet' version '1' is placed in the cloud and the controller at "
                + dead + " is unreachable: connection refused; not installed locally\"}");
        assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(toAgent).modelInfer(grpcRequest(1024)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).startsWith("model 'lenet' version '1' is placed in the cloud")
                            .endsWith("; not installed locally");
                });
        assertThat(only(recorder.drain())).satisfies(t -> {
            assertThat(t.getPlacement()).isEqualTo(Placement.CLOUD);
            assertThat(t.getErrors()).isEqualTo(2);
        });
        assertThat(offloader.fallbacks()).isZero();
    }

    @Test
    void withLocalFallbackOffTheAnswerIs503SayingSoEvenWithALocalCopy() throws Exception {
        startAgentApisWithControllerGone(false);
        loadLocalCopy();
        HttpResponse<String> r = post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("local fallback is off (offload-fallback=none)");
    }

    @Test
    void aControllerAtItsLimitCountsAsUnavailableAndTheLocalCopyAnswers() throws Exception {
        startAgentApis();
        loadLocalCopy();
        controller.forcedStatus = 503;
        assertThat(post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024)).statusCode()).isEqualTo(200);
        assertThat(offloader.fallbacks()).isEqualTo(1);
        assertThat(controller.rest).hasSize(1);
    }

    @Test
    void aControllerThatDoesNotAnswerInTimeIsUnreachableNamingTheTimeout() throws Exception {
        startAgentApis(controller.uri(), controller.channel(), Duration.ofMillis(300), true);
        controller.stallMillis = 2000;
        HttpResponse<String> r = post("/v2/models/lenet/infer", body("[1,1,32,32]", 1024));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("is unreachable: no answer within 0.3 s; not installed locally");
    }

    // ---- helpers

    private static ModelTelemetry only(List<ModelTelemetry> drained) {
        assertThat(drained).hasSize(1);
        return drained.get(0);
    }

    private static URI deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private static String body(String shape, int values) {
        StringBuilder b = new StringBuilder("{\"id\":\"r-7\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":")
                .append(shape).append(",\"data\":[");
        for (int i = 0; i < values; i++) {
            b.append(i == 0 ? "" : ",").append((i * 37 % 101) / 100.0);
        }
        return b.append("]}]}").toString();
    }

    private static ModelInferRequest grpcRequest(int values) {
        ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(1).addShape(1).addShape(32).addShape(32);
        for (int i = 0; i < values; i++) {
            in.getContentsBuilder().addFp32Contents((i * 37 % 101) / 100f);
        }
        return ModelInferRequest.newBuilder().setModelName("lenet").setId("g-1").addInputs(in).build();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
