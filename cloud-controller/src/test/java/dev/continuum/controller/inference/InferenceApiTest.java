package dev.continuum.controller.inference;

import static dev.continuum.controller.inference.CloudLenet.MODEL;
import static dev.continuum.controller.inference.CloudLenet.VERSION;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import dev.continuum.controller.support.Api;
import dev.continuum.engine.Model;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataRequest;
import dev.continuum.proto.inference.ModelMetadataResponse;
import dev.continuum.proto.inference.ModelReadyRequest;
import dev.continuum.proto.inference.ServerLiveRequest;
import dev.continuum.proto.inference.ServerMetadataRequest;
import dev.continuum.proto.inference.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's OIP v2 endpoints over real HTTP and gRPC: LeNet published to the registry and
 * answered like the tensor engine answers locally (and like PyTorch, within tolerance), version
 * resolution, errors naming the bad input, authentication and metadata.
 */
@QuarkusTest
@TestProfile(InferenceProfile.class)
class InferenceApiTest {
    private static final String INFER = "/v2/models/" + MODEL + "/versions/" + VERSION + "/infer";

    @TestHTTPResource("/")
    URL controller;

    private ManagedChannel channel;

    @BeforeEach
    void publish() {
        CloudLenet.publish(VERSION);
        channel = CloudLenet.channel(controller);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static float[] restOutput(ExtractableResponse<Response> r) {
        List<Float> data = r.jsonPath().getList("outputs[0].data", Float.class);
        float[] f = new float[data.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = data.get(i);
        }
        return f;
    }

    private ExtractableResponse<Response> infer(String secret, String path, Object body) {
        return Api.as(secret).contentType(ContentType.JSON).body(body).post(path).then().extract();
    }

    private ModelInferRequest.InferInputTensor.Builder grpcInput(String datatype, int... shape) {
        ModelInferRequest.InferInputTensor.Builder b = ModelInferRequest.InferInputTensor.newBuilder()
                .setName(CloudLenet.inputName()).setDatatype(datatype);
        for (int d : shape) {
            b.addShape(d);
        }
        return b;
    }

    @Test
    void restAndGrpcAnswerAsTheTensorEngineDoesLocally() {
        String device = CloudLenet.deviceCredential(controller);
        var rest = infer(device, INFER, CloudLenet.restBody("req-7"));
        assertThat(rest.statusCode()).as(rest.asString()).isEqualTo(200);
        assertThat(rest.jsonPath().getString("model_name")).isEqualTo(MODEL);
        assertThat(rest.jsonPath().getString("model_version")).isEqualTo(VERSION);
        assertThat(rest.jsonPath().getString("id")).isEqualTo("req-7");
        assertThat(rest.jsonPath().getString("outputs[0].datatype")).isEqualTo("FP32");
        CloudLenet.assertSameAsEngineAndCloseToPytorch(restOutput(rest));

        Tensor in = CloudLenet.input();
        ModelInferResponse raw = CloudLenet.grpc(channel, device).modelInfer(ModelInferRequest.newBuilder()
                .setModelName(MODEL).setModelVersion(VERSION).setId("g-1").addInputs(grpcInput("FP32", in.shape()))
                .addRawInputContents(ByteString.copyFrom(CloudLenet.littleEndian(in.floatData()))).build());
        assertThat(raw.getModelVersion()).isEqualTo(VERSION);
        assertThat(raw.getId()).isEqualTo("g-1");
        CloudLenet.assertSameAsEngineAndCloseToPytorch(CloudLenet.fromLittleEndian(raw.getRawOutputContents(0)));

        ModelInferRequest.InferInputTensor.Builder typed = grpcInput("FP32", in.shape());
        for (float f : in.floatData()) {
            typed.getContentsBuilder().addFp32Contents(f);
        }
        ModelInferResponse t = CloudLenet.grpc(channel, CloudLenet.deployerToken()).modelInfer(
                ModelInferRequest.newBuilder().setModelName(MODEL).addInputs(typed).build());
        List<Float> values = t.getOutputs(0).getContents().getFp32ContentsList();
        float[] typedOut = new float[values.size()];
        for (int i = 0; i < typedOut.length; i++) {
            typedOut[i] = values.get(i);
        }
        CloudLenet.assertSameAsEngineAndCloseToPytorch(typedOut);
    }

    @Test
    void aRequestWithoutVersionIsServedByTheLatestAliasElseByTheNewestVersion() {
        String token = CloudLenet.deployerToken();
        CloudLenet.publish("2");
        try {
            var newest = infer(token, "/v2/models/" + MODEL + "/infer", CloudLenet.restBody(null));
            assertThat(newest.statusCode()).as(newest.asString()).isEqualTo(200);
            assertThat(newest.jsonPath().getString("model_version")).isEqualTo("2");

            Api.admin().contentType(ContentType.JSON).body(Map.of("version", VERSION))
                    .put("/api/v1/models/" + MODEL + "/aliases/latest").then().statusCode(201);
            assertThat(infer(token, "/v2/models/" + MODEL + "/infer", CloudLenet.restBody(null))
                    .jsonPath().getString("model_version")).isEqualTo(VERSION);
            // an alias stands in for a version in the path
            assertThat(infer(token, "/v2/models/" + MODEL + "/versions/latest/infer", CloudLenet.restBody(null))
                    .jsonPath().getString("model_version")).isEqualTo(VERSION);
            Api.as(token).get("/v2/models/" + MODEL).then().statusCode(200).body("versions", contains(VERSION));
        } finally {
            Api.admin().delete("/api/v1/models/" + MODEL + "/aliases/latest");
            Api.admin().delete("/api/v1/models/" + MODEL + "/versions/2").then().statusCode(204);
        }
    }

    @Test
    void unknownModelsAndVersionsAre404OverRestAndNotFoundOverGrpc() {
        String token = CloudLenet.deployerToken();
        var model = infer(token, "/v2/models/nope/infer", CloudLenet.restBody(null));
        assertThat(model.statusCode()).isEqualTo(404);
        assertThat(model.contentType()).startsWith("application/json");
        assertThat(model.jsonPath().getString("error")).isEqualTo("unknown model 'nope'");
        assertThat(infer(token, "/v2/models/" + MODEL + "/versions/9/infer", CloudLenet.restBody(null))
                .jsonPath().getString("error")).isEqualTo("model 'lenet' has no version or alias '9'");
        Api.as(token).get("/v2/models/nope/versions/1").then().statusCode(404).body("error", equalTo("unknown model 'nope'"));
        Api.as(token).get("/v2/models/" + MODEL + "/versions/9/ready").then().statusCode(404);

        assertThatThrownBy(() -> CloudLenet.grpc(channel, token).modelInfer(ModelInferRequest.newBuilder()
                .setModelName(MODEL).setModelVersion("9").addInputs(grpcInput("FP32", 1)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("model 'lenet' has no version or alias '9'");
                });
        assertThatThrownBy(() -> CloudLenet.grpc(channel, token).modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("nope").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void badInputIs400NamingTheInputAndWhatWasExpected() {
        String token = CloudLenet.deployerToken();
        String name = CloudLenet.inputName();
        var malformed = Api.as(token).contentType(ContentType.JSON).body("{\"inputs\": [").post(INFER).then().extract();
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.jsonPath().getString("error")).startsWith("malformed JSON: ");

        var shape = infer(token, INFER, Map.of("inputs", List.of(Map.of("name", name, "datatype", "FP32",
                "shape", List.of(1, 1, 28, 28), "data", new float[784]))));
        assertThat(shape.statusCode()).isEqualTo(400);
        assertThat(shape.jsonPath().getString("error")).startsWith("input '" + name + "' has shape [1,1,28,28], expected");

        int[] dims = CloudLenet.input().shape();
        var datatype = infer(token, INFER, Map.of("inputs", List.of(Map.of("name", name, "datatype", "INT64",
                "shape", dims, "data", new long[CloudLenet.input().size()]))));
        assertThat(datatype.statusCode()).isEqualTo(400);
        assertThat(datatype.jsonPath().getString("error")).startsWith("input '" + name + "' has type int64, expected float32");

        var count = infer(token, INFER, Map.of("inputs", List.of(Map.of("name", name, "datatype", "FP32",
                "shape", dims, "data", new float[3]))));
        assertThat(count.jsonPath().getString("error")).isEqualTo("input '" + name + "': shape "
                + java.util.Arrays.toString(dims) + " needs " + CloudLenet.input().size() + " values, 'data' has 3");

        Map<String, Object> body = new java.util.HashMap<>(CloudLenet.restBody(null));
        body.put("outputs", List.of(Map.of("name", "logits_typo")));
        assertThat(infer(token, INFER, body).jsonPath().getString("error"))
                .startsWith("unknown output 'logits_typo'; model 'lenet' version '1' has outputs [");

        var tooLarge = Api.as(token).contentType(ContentType.JSON).body(new byte[InferenceProfile.MAX_REQUEST_BYTES + 1])
                .post(INFER).then().extract();
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.jsonPath().getString("error")).contains("exceeds the limit of " + InferenceProfile.MAX_REQUEST_BYTES);

        assertThatThrownBy(() -> CloudLenet.grpc(channel, token).modelInfer(ModelInferRequest.newBuilder()
                .setModelName(MODEL).addInputs(grpcInput("FP32", 1, 1, 28, 28))
                .addRawInputContents(ByteString.copyFrom(new byte[784 * 4])).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("input '" + name + "' has shape [1,1,28,28]");
                });
        assertThatThrownBy(() -> CloudLenet.grpc(channel, token).modelInfer(ModelInferRequest.newBuilder()
                .setModelName(MODEL).addInputs(grpcInput("FP33", 1)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("input '" + name + "': unknown datatype 'FP33'");
                });
    }

    @Test
    void callersWithoutAValidCredentialAre401AndTokensWithoutTheRoleAre403() {
        var none = given().contentType(ContentType.JSON).body(CloudLenet.restBody(null)).post(INFER).then().extract();
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"continuum\"");
        assertThat(none.jsonPath().getString("error")).contains("send 'Authorization: Bearer <secret>'");
        assertThat(infer("ctd_forged", INFER, CloudLenet.restBody(null)).statusCode()).isEqualTo(401);
        assertThat(infer("ctn_forged", INFER, CloudLenet.restBody(null)).jsonPath().getString("error"))
                .isEqualTo("the bearer token is not known to this controller");
        given().get("/v2/models/" + MODEL).then().statusCode(401);

        var viewer = infer(CloudLenet.viewerToken(), INFER, CloudLenet.restBody(null));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.jsonPath().getString("error")).contains("has role viewer; inference needs role deployer or higher");

        assertThatThrownBy(() -> CloudLenet.grpc(channel, null).modelInfer(ModelInferRequest.newBuilder()
                .setModelName(MODEL).build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> CloudLenet.grpc(channel, CloudLenet.viewerToken()).modelMetadata(
                ModelMetadataRequest.newBuilder().setName(MODEL).build())).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        // liveness, readiness and server metadata need no credential
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2").then().statusCode(200).body("name", equalTo("continuum-controller"));
        assertThat(CloudLenet.grpc(channel, null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    }

    @Test
    void metadataAndReadinessDescribeTheModelVersion() {
        String device = CloudLenet.deviceCredential(controller);
        Model lenet = Model.load(CloudLenet.onnx());
        TensorInfo in = lenet.inputs().get(0);
        TensorInfo out = lenet.outputs().get(0);
        var m = Api.as(device).get("/v2/models/" + MODEL + "/versions/" + VERSION).then().statusCode(200).extract();
        assertThat(m.jsonPath().getString("name")).isEqualTo(MODEL);
        assertThat(m.jsonPath().getList("versions")).containsExactly(VERSION);
        assertThat(m.jsonPath().getString("platform")).isEqualTo("onnx_onnxv1");
        assertThat(m.jsonPath().getString("inputs[0].name")).isEqualTo(in.name());
        assertThat(m.jsonPath().getString("inputs[0].datatype")).isEqualTo("FP32");
        assertThat(m.jsonPath().getList("inputs[0].shape", Integer.class)).containsExactly(
                java.util.Arrays.stream(in.shape()).boxed().toArray(Integer[]::new));
        assertThat(m.jsonPath().getString("outputs[0].name")).isEqualTo(out.name());
        Api.as(device).get("/v2/models/" + MODEL + "/versions/" + VERSION + "/ready").then().statusCode(200)
                .body("ready", equalTo(true));
        Api.as(device).get("/v2/models/" + MODEL + "/ready").then().statusCode(200);

        ModelMetadataResponse g = CloudLenet.grpc(channel, device).modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(MODEL).setVersion(VERSION).build());
        assertThat(g.getVersionsList()).containsExactly(VERSION);
        assertThat(g.getInputs(0).getName()).isEqualTo(in.name());
        assertThat(g.getInputs(0).getShapeCount()).isEqualTo(in.shape().length);
        assertThat(g.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(CloudLenet.grpc(channel, device).modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build())
                .getReady()).isTrue();
        assertThat(CloudLenet.grpc(channel, null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(CloudLenet.grpc(channel, null).serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
                .isEqualTo("continuum-controller");
        Api.admin().get("/q/openapi").then().statusCode(200).body(containsString("/v2/models/{model}/versions/{version}/infer"));
    }
}
