package dev.continuum.controller.inference;

import dev.continuum.oip.OipException;
import dev.continuum.oip.OipGrpc;
import dev.continuum.oip.OipTypes;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataRequest;
import dev.continuum.proto.inference.ModelMetadataResponse;
import dev.continuum.proto.inference.ModelReadyRequest;
import dev.continuum.proto.inference.ModelReadyResponse;
import dev.continuum.proto.inference.ServerLiveRequest;
import dev.continuum.proto.inference.ServerLiveResponse;
import dev.continuum.proto.inference.ServerMetadataRequest;
import dev.continuum.proto.inference.ServerMetadataResponse;
import dev.continuum.proto.inference.ServerReadyRequest;
import dev.continuum.proto.inference.ServerReadyResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}) on the controller's
 * HTTP port, with the semantics of {@link OipRestResource}: unknown model NOT_FOUND, bad input
 * INVALID_ARGUMENT naming it, no credential UNAUTHENTICATED, over the limit UNAVAILABLE. Inputs may
 * be typed {@code contents} or {@code raw_input_contents}; outputs come back in the same form.
 * Every unary call runs on a worker thread ({@link Blocking}): it reads the database and waits for
 * a compute thread.
 */
@GrpcService
@RegisterInterceptor(BearerInterceptor.class)
public class OipGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private static final Logger LOG = Logger.getLogger(OipGrpcService.class);

    @Inject
    CloudInference inference;

    @Inject
    InferenceAuth auth;

    @Inject
    InferenceConfig config;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String serverVersion;

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(out, () -> ServerReadyResponse.newBuilder().setReady(true).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(out, () -> ServerMetadataResponse.newBuilder().setName(OipRestResource.SERVER_NAME)
                .setVersion(serverVersion).build());
    }

    @Override
    @Blocking
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> {
            authenticate();
            return ModelReadyResponse.newBuilder()
                    .setReady(inference.ready(request.getName(), request.getVersion())).build();
        });
    }

    @Override
    @Blocking
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> {
            authenticate();
            CloudInference.Metadata m = inference.metadata(request.getName(), request.getVersion());
            return OipGrpc.metadata(m.name(), List.of(m.version()), OipTypes.PLATFORM_ONNX, m.inputs(),
                    m.outputs());
        });
    }

    @Override
    @Blocking
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        answer(out, () -> {
            authenticate();
            CloudInference.Result r = inference.infer(request.getModelName(), request.getModelVersion(),
                    () -> new CloudInference.Request(OipGrpc.inputs(request), OipGrpc.requestedOutputs(request)));
            return OipGrpc.response(request, r.model(), r.version(), r.outputs());
        });
    }

    private void authenticate() {
        auth.authenticate(BearerInterceptor.AUTHORIZATION.get());
    }

    private <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (OipException e) {
            out.onError(OipGrpc.status(e).asRuntimeException(trailers(e)));
            return;
        } catch (RuntimeException e) {
            String errorId = UUID.randomUUID().toString();
            LOG.errorf(e, "inference call failed, error %s", errorId);
            out.onError(Status.INTERNAL.withDescription("internal error; the controller log names error " + errorId)
                    .asRuntimeException());
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }

    /** A refusal for overload says when to retry, as the REST API's Retry-After does. */
    private Metadata trailers(OipException e) {
        Metadata m = new Metadata();
        if (e.status() == 503) {
            m.put(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER),
                    String.valueOf(OipRestResource.retryAfterSeconds(config)));
        }
        return m;
    }
}
