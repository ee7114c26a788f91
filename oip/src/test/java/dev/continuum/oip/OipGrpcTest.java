package dev.continuum.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.proto.inference.InferTensorContents;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferRequest.InferInputTensor;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataResponse;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OipGrpcTest {
    private static final InferInputTensor X = InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2)
            .setContents(InferTensorContents.newBuilder().addFp32Contents(1f).addFp32Contents(2f)).build();

    @Test
    void metadataOfAnInputOfUnknownRankHasTheShapeMinusOne() {
        ModelMetadataResponse m = OipGrpc.metadata("m", List.of("1"), OipTypes.PLATFORM_ONNX,
                List.of(new TensorInfo("free", DataType.FLOAT, null), new TensorInfo("x", DataType.INT64, new int[] {-1, 4})),
                List.of(new TensorInfo("y", DataType.FLOAT, new int[] {1})));
        assertThat(m.getInputs(0).getShapeList()).containsExactly(-1L);
        assertThat(m.getInputs(1).getShapeList()).containsExactly(-1L, 4L);
        assertThat(m.getInputs(1).getDatatype()).isEqualTo("INT64");
        assertThat(m.getOutputs(0).getShapeList()).containsExactly(1L);
        assertThat(m.getVersionsList()).containsExactly("1");
        assertThat(m.getPlatform()).isEqualTo("onnx_onnxv1");
    }

    @Test
    void answersInTheFormTheRequestUsed() {
        Map<String, Tensor> out = Map.of("y", Tensor.ofFloats(new int[] {1, 2}, 0.25f, 4f));
        ModelInferRequest typed = ModelInferRequest.newBuilder().setId("r1").addInputs(X).build();
        ModelInferResponse t = OipGrpc.response(typed, "m", "2", out);
        assertThat(t.getId()).isEqualTo("r1");
        assertThat(t.getOutputs(0).getShapeList()).containsExactly(1L, 2L);
        assertThat(t.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(0.25f, 4f);
        assertThat(t.getRawOutputContentsCount()).isZero();

        ModelInferRequest raw = ModelInferRequest.newBuilder()
                .addInputs(X.toBuilder().clearContents()).addRawInputContents(ByteString.copyFrom(new byte[8])).build();
        assertThat(OipGrpc.inputs(raw).get("x").floatData()).containsExactly(0f, 0f);
        ModelInferResponse r = OipGrpc.response(raw, "m", "2", out);
        assertThat(r.getRawOutputContents(0).size()).isEqualTo(8);
        assertThat(r.getOutputs(0).hasContents()).isFalse();
    }

    @Test
    void inputsGivenTwiceOrWithoutOneRawEntryEachAreRefused() {
        assertThatThrownBy(() -> OipGrpc.inputs(ModelInferRequest.newBuilder().addInputs(X).addInputs(X).build()))
                .isInstanceOf(OipException.class).hasMessage("input 'x' is given twice");
        assertThatThrownBy(() -> OipGrpc.inputs(ModelInferRequest.newBuilder().addInputs(X).addInputs(X)
                .addRawInputContents(ByteString.copyFrom(new byte[8])).build()))
                .isInstanceOf(OipException.class)
                .hasMessage("raw_input_contents has 1 entries for 2 inputs; give one per input or none");
    }

    @Test
    void refusalsMapToGrpcStatusesKeepingTheMessage() {
        assertThat(OipGrpc.status(OipException.badRequest("input 'x': bad")).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(OipGrpc.status(OipException.notFound("unknown model 'm'")).getDescription()).isEqualTo("unknown model 'm'");
        assertThat(OipGrpc.status(new OipException(401, "no")).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(OipGrpc.status(new OipException(403, "no")).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(OipGrpc.status(new OipException(503, "busy")).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(OipGrpc.status(new OipException(500, "bug")).getCode()).isEqualTo(Status.Code.INTERNAL);
    }
}
