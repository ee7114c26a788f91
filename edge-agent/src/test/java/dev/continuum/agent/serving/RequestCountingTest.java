package dev.continuum.agent.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.agent.FakeController;
import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.engine.Model;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every inference request on a served model is recorded once, over REST and gRPC, failures as errors. */
class RequestCountingTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ModelServer server = new ModelServer();
    private final RequestRecorder recorder = new RequestRecorder();
    private RestApi rest;
    private GrpcInferenceApi grpc;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        Model m = Model.load(FakeController.lenetBytes());
        server.swap(new ServedModel("lenet", "3", "sha", m, m.newSession()));
        InferenceService service = new InferenceService(server, () -> true, "test", recorder);
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

    private int post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String input(String shape) {
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":" + shape + ",\"data\":["
                + "0,".repeat(1023) + "0]}]}";
    }

    private static ModelInferRequest grpcRequest(String model, int values) {
        ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(1).addShape(1).addShape(32).addShape(32);
        for (int i = 0; i < values; i++) {
            in.getContentsBuilder().addFp32Contents(0f);
        }
        return ModelInferRequest.newBuilder().setModelName(model).addInputs(in).build();
    }

    @Test
    void restAndGrpcRequestsAreCountedWithTheirErrorsButRequestsForModelsNotServedAreNot() throws Exception {
        assertThat(post("/v2/models/lenet/infer", input("[1,1,32,32]"))).isEqualTo(200);
        assertThat(post("/v2/models/lenet/versions/3/infer", input("[1,1,32,32]"))).isEqualTo(200);
        assertThat(post("/v2/models/lenet/infer", input("[1,1,16,64]"))).as("bad shape").isEqualTo(400);
        assertThat(post("/v2/models/lenet/infer", "{not json")).as("malformed body").isEqualTo(400);
        assertThat(post("/v2/models/resnet/infer", input("[1,1,32,32]"))).isEqualTo(404);
        assertThat(post("/v2/models/lenet/versions/9/infer", input("[1,1,32,32]"))).isEqualTo(404);

        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        assertThat(stub.modelInfer(grpcRequest("lenet", 1024)).getOutputsCount()).isEqualTo(1);
        assertThatThrownBy(() -> stub.modelInfer(grpcRequest("lenet", 1))).isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> stub.modelInfer(grpcRequest("resnet", 1024))).isInstanceOf(StatusRuntimeException.class);

        List<ModelTelemetry> out = recorder.drain();
        assertThat(out).hasSize(1);
        ModelTelemetry lenet = out.get(0);
        assertThat(lenet.getModel()).isEqualTo("lenet");
        assertThat(lenet.getVersion()).isEqualTo("3");
        assertThat(lenet.getPlacement()).isEqualTo(Placement.EDGE);
        assertThat(lenet.getRequests()).isEqualTo(6);
        assertThat(lenet.getErrors()).isEqualTo(3);
        assertThat(lenet.getLatency().getSumMicros()).isPositive();
    }
}
