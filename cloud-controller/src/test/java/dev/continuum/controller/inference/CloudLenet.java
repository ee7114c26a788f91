package dev.continuum.controller.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.support.Api;
import dev.continuum.engine.Model;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.onnx.TensorProto;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.EnrolRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The LeNet fixture of the tensor engine (PyTorch export, with PyTorch's output for its reference
 * input) published to the controller, the callers that may infer with it, and the expected answers.
 */
final class CloudLenet {
    static final Path DIR = Path.of("..", "tensor-engine", "src", "test", "resources", "models", "lenet");
    static final String MODEL = "lenet";
    static final String VERSION = "1";
    static final float TOLERANCE = 1e-4f;

    private static String deviceCredential;
    private static String deployerToken;
    private static String viewerToken;

    private CloudLenet() {
    }

    static byte[] onnx() {
        return read(DIR.resolve("model.onnx"));
    }

    /** Publishes the model as version {@code version} (again, harmlessly, when it is published already). */
    static void publish(String version) {
        Api.publish(Api.ADMIN_TOKEN, onnx()).put("/api/v1/models/" + MODEL + "/versions/" + version).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    /** The reference input: its name in the model, its shape and values. */
    static Tensor input() {
        TensorProto t = tensorProto(DIR.resolve("test_data_set_0").resolve("input_0.pb"));
        int[] shape = t.getDimsList().stream().mapToInt(Long::intValue).toArray();
        return Tensor.ofFloats(shape, floats(t));
    }

    static String inputName() {
        return Model.load(onnx()).inputs().get(0).name();
    }

    /** PyTorch's output for the reference input. */
    static float[] pytorchOutput() {
        return floats(tensorProto(DIR.resolve("test_data_set_0").resolve("output_0.pb")));
    }

    /** What the tensor engine answers for the reference input when it runs the model in this JVM. */
    static float[] engineOutput() {
        Model m = Model.load(onnx());
        try (var s = m.newSession()) {
            return s.run(Map.of(inputName(), input())).values().iterator().next().floatData().clone();
        }
    }

    /** An OIP REST request body for the reference input. */
    static Map<String, Object> restBody(String id) {
        Tensor in = input();
        return id == null
                ? Map.of("inputs", List.of(Map.of("name", inputName(), "datatype", "FP32", "shape", in.shape(),
                        "data", in.floatData())))
                : Map.of("id", id, "inputs", List.of(Map.of("name", inputName(), "datatype", "FP32", "shape", in.shape(),
                        "data", in.floatData())));
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static float[] fromLittleEndian(com.google.protobuf.ByteString raw) {
        float[] f = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    static void assertSameAsEngineAndCloseToPytorch(float[] actual) {
        assertThat(actual).containsExactly(engineOutput());
        float[] expected = pytorchOutput();
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("output[%d]: %s vs PyTorch %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(TOLERANCE + 1e-3f * Math.abs(expected[i]));
        }
    }

    // ---- callers

    static synchronized String deviceCredential(URL controller) {
        if (deviceCredential == null) {
            String bootstrap = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "inference-test"))
                    .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
            ManagedChannel ch = channel(controller);
            try {
                deviceCredential = DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(EnrolRequest.newBuilder()
                        .setBootstrapToken(bootstrap).setName("cloud-inference-caller").build()).getCredential();
            } finally {
                ch.shutdownNow();
            }
        }
        return deviceCredential;
    }

    static synchronized String deployerToken() {
        if (deployerToken == null) {
            deployerToken = Api.token("deployer");
        }
        return deployerToken;
    }

    static synchronized String viewerToken() {
        if (viewerToken == null) {
            viewerToken = Api.token("viewer");
        }
        return viewerToken;
    }

    static ManagedChannel channel(URL controller) {
        return NettyChannelBuilder.forAddress(controller.getHost(), controller.getPort()).usePlaintext().build();
    }

    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc(ManagedChannel ch, String secret) {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(ch);
        return secret == null ? stub : stub.withCallCredentials(bearer(secret));
    }

    private static CallCredentials bearer(String secret) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + secret);
                applier.apply(m);
            }
        };
    }

    // ---- fixture files

    private static TensorProto tensorProto(Path pb) {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(pb));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] floats(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            return fromLittleEndian(t.getRawData());
        }
        float[] f = new float[t.getFloatDataCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = t.getFloatData(i);
        }
        return f;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
