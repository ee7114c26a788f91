package dev.continuum.agent.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.agent.FakeController;
import dev.continuum.engine.Model;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelMetadataRequest;
import dev.continuum.proto.inference.ModelMetadataResponse;
import dev.continuum.proto.inference.ModelReadyRequest;
import dev.continuum.proto.inference.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local OIP v2 REST and gRPC APIs over real sockets, serving LeNet. */
class LocalApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ModelServer server = new ModelServer();
    private RestApi rest;
    private GrpcInferenceApi grpc;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        Model m = Model.load(FakeController.lenetBytes());
        server.swap(new ServedModel("lenet", "3", "sha", m, m.newSession()));
        InferenceService service = new InferenceService(server, () -> true, "test");
        rest = new RestApi(service, "127.0.0.1", 0, 2);
        rest.start();
        grpc = new GrpcInferenceApi(service, "127.0.0.1", 0);
        grpc.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        rest.stop();
        grpc.stop();
        server.clear();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String input(String name, String datatype, String shape, int values) {
        return "{\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape
                + ",\"data\":[" + "0,".repeat(values - 1) + "0]}]}";
    }

    private void error(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains(message);
    }

    @Test
    void healthMetadataAndInferenceAnswerInOipJson() throws Exception {
        assertThat(call("GET", "/v2/health/live", null).body()).isEqualTo("{\"live\":true}");
        assertThat(call("GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
        JsonNode meta = JSON.readTree(call("GET", "/v2/models/lenet", null).body());
        assertThat(meta.get("versions").get(0).asText()).isEqualTo("3");
        assertThat(meta.at("/inputs/0/datatype").asText()).isEqualTo("FP32");
        assertThat(meta.at("/inputs/0/shape").toString()).isEqualTo("[1,1,32,32]");
        assertThat(call("GET", "/v2/models/lenet/versions/3/ready", null).statusCode()).isEqualTo(200);
        HttpResponse<String> r = call("POST", "/v2/models/lenet/versions/3/infer", input("input", "FP32", "[1,1,32,32]", 1024));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/outputs/0/shape").toString()).isEqualTo("[1,10]");
    }

    @Test
    void restErrorsNameTheModelOrTheBadInput() throws Exception {
        error(call("POST", "/v2/models/resnet/infer", input("input", "FP32", "[1]", 1)), 404, "unknown model 'resnet'");
        error(call("GET", "/v2/models/lenet/versions/9", null), 404, "model 'lenet' version '9' is not served");
        error(call("GET", "/v2/models/resnet/ready", null), 404, "unknown model 'resnet'");
        error(call("POST", "/v2/models/lenet/infer", "{not json"), 400, "malformed JSON");
        error(call("POST", "/v2/models/lenet/infer", input("input", "INT64", "[1,1,32,32]", 1024)), 400,
                "input 'input' has type int64, expected float32[1,1,32,32]");
        error(call("POST", "/v2/models/lenet/infer", input("input", "FP32", "[1,1,16,64]", 1024)), 400,
                "input 'input' has shape [1,1,16,64], expected float32[1,1,32,32]");
        error(call("POST", "/v2/models/lenet/infer", input("pixels", "FP32", "[1,1,32,32]", 1024)), 400,
                "unknown input 'pixels'; the model's inputs are [input: float32[1,1,32,32]]");
        String zeros = input("input", "FP32", "[1,1,32,32]", 1024);
        error(call("POST", "/v2/models/lenet/infer", zeros.substring(0, zeros.length() - 1)
                + ",\"outputs\":[{\"name\":\"probs\"}]}"), 400, "unknown output 'probs'; model 'lenet' has outputs [");
        error(call("GET", "/v2/models/lenet/infer", null), 405, "use POST");
        error(call("GET", "/v3/whatever", null), 404, "no such endpoint");
    }

    @Test
    void grpcAnswersWithTheSameSemantics() {
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("lenet").build()).getReady()).isTrue();
        ModelMetadataResponse meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("lenet").build());
        assertThat(meta.getInputs(0).getShapeList()).containsExactly(1L, 1L, 32L, 32L);
        assertThatThrownBy(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("resnet").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(1).addShape(1).addShape(32).addShape(32);
        in.getContentsBuilder().addFp32Contents(1f);
        assertThatThrownBy(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("lenet").addInputs(in).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("input 'input': shape [1, 1, 32, 32] needs 1024 values, the fp32 contents have 1");
                });
    }
}
