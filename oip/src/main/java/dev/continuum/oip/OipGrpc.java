package dev.continuum.oip;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataResponse;
import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of {@code inference.GRPCInferenceService} to and from engine tensors: request inputs
 * (typed {@code contents} or {@code raw_input_contents}), responses in the form the request used,
 * model metadata, and the gRPC status of an {@link OipException}.
 */
public final class OipGrpc {
    private OipGrpc() {
    }

    /**
     * The named input tensors of a request, in request order.
     *
     * @throws OipException 400 naming the input when one is malformed or given twice, or when
     *                      {@code raw_input_contents} does not have one entry per input
     */
    public static Map<String, Tensor> inputs(ModelInferRequest request) {
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw OipException.badRequest("raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for " + request.getInputsCount() + " inputs; give one per input or none");
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = request.getInputs(i);
            Tensor t = raw ? OipProtoTensors.fromRaw(in, request.getRawInputContents(i)) : OipProtoTensors.fromContents(in);
            if (inputs.put(in.getName(), t) != null) {
                throw OipException.badRequest("input '" + in.getName() + "' is given twice");
            }
        }
        return inputs;
    }

    /** The output names a request asks for; empty for all. */
    public static List<String> requestedOutputs(ModelInferRequest request) {
        return request.getOutputsList().stream().map(ModelInferRequest.InferRequestedOutputTensor::getName).toList();
    }

    /** The response to {@code request}: raw output contents when its inputs were raw, typed contents otherwise. */
    public static ModelInferResponse response(ModelInferRequest request, String model, String version,
                                              Map<String, Tensor> outputs) {
        boolean raw = request.getRawInputContentsCount() > 0;
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(model).setModelVersion(version)
                .setId(request.getId());
        for (var e : outputs.entrySet()) {
            Tensor t = e.getValue();
            ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(e.getKey()).setDatatype(OipTypes.name(t.dataType()));
            for (int d : t.shape()) {
                o.addShape(d);
            }
            if (raw) {
                b.addRawOutputContents(OipProtoTensors.toRaw(t));
            } else {
                o.setContents(OipProtoTensors.toContents(t));
            }
            b.addOutputs(o);
        }
        return b.build();
    }

    public static ModelMetadataResponse metadata(String name, List<String> versions, String platform,
                                                 List<TensorInfo> inputs, List<TensorInfo> outputs) {
        return ModelMetadataResponse.newBuilder().setName(name).addAllVersions(versions).setPlatform(platform)
                .addAllInputs(tensorMetadata(inputs)).addAllOutputs(tensorMetadata(outputs)).build();
    }

    /** Declared tensors as metadata: a dynamic dimension is -1, a tensor of unknown rank has shape {@code [-1]}. */
    public static List<ModelMetadataResponse.TensorMetadata> tensorMetadata(List<TensorInfo> infos) {
        return infos.stream().map(i -> {
            ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(i.name()).setDatatype(OipTypes.name(i.dataType()));
            for (long d : OipTypes.metadataShape(i)) {
                t.addShape(d);
            }
            return t.build();
        }).toList();
    }

    /** The gRPC status of a refused request, carrying its message. */
    public static Status status(OipException e) {
        Status s = switch (e.status()) {
            case 400, 413 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 429, 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        return s.withDescription(e.getMessage());
    }
}
