package dev.continuum.agent.serving;

import dev.continuum.agent.Component;
import dev.continuum.agent.offload.CloudTarget;
import dev.continuum.agent.offload.Offloader;
import dev.continuum.oip.OipException;
import dev.continuum.oip.OipGrpc;
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
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Open Inference Protocol v2 over gRPC ({@code inference.GRPCInferenceService}) with the same
 * semantics as {@link RestApi}: unknown model NOT_FOUND, bad input INVALID_ARGUMENT naming it.
 * Inputs may come as typed {@code contents} or {@code raw_input_contents}; outputs are answered in
 * the same form the inputs used. A model placed in the cloud is answered by the controller through the
 * {@link Offloader}, the message forwarded unchanged (its version set to the placed one) and the
 * controller's answer or status passed back.
 */
public final class GrpcInferenceApi extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase implements Component {
    private static final Logger LOG = Logger.getLogger(GrpcInferenceApi.class.getName());

    private final InferenceService service;
    private final Offloader offloader;
    private final String bind;
    private final int port;
    private Server server;

    public GrpcInferenceApi(InferenceService service, String bind, int port) {
        this(service, Offloader.none(), bind, port);
    }

    public GrpcInferenceApi(InferenceService service, Offloader offloader, String bind, int port) {
        this.service = service;
        this.offloader = offloader;
        this.bind = bind;
        this.port = port;
    }

    @Override
    public void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(bind, port))
                .addService(this).maxInboundMessageSize(RestApi.MAX_BODY_BYTES).build().start();
        LOG.info(() -> "OIP v2 gRPC listening on " + bind + ":" + port());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public Health health() {
        return new Health("grpc", server != null, server == null ? "stopped" : "listening on " + bind + ":" + port());
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(out, () -> ServerReadyResponse.newBuilder().setReady(service.serverReady()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> {
            Optional<CloudTarget> cloud = offloader.target(request.getName(), request.getVersion());
            if (cloud.isPresent()) {
                ModelReadyRequest fwd = request.toBuilder().setVersion(cloud.get().version()).build();
                return offloader.query(cloud.get(), () -> offloader.client().ready(fwd), () -> localReady(fwd));
            }
            return localReady(request);
        });
    }

    private ModelReadyResponse localReady(ModelReadyRequest request) {
        if (!service.modelReady(request.getName(), request.getVersion())) {
            service.metadata(request.getName(), request.getVersion()); // NOT_FOUND naming the model
        }
        return ModelReadyResponse.newBuilder().setReady(true).build();
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(out, () -> ServerMetadataResponse.newBuilder().setName(InferenceService.SERVER_NAME)
                .setVersion(service.agentVersion()).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> {
            Optional<CloudTarget> cloud = offloader.target(request.getName(), request.getVersion());
            if (cloud.isPresent()) {
                ModelMetadataRequest fwd = request.toBuilder().setVersion(cloud.get().version()).build();
                return offloader.query(cloud.get(), () -> offloader.client().metadata(fwd), () -> localMetadata(fwd));
            }
            return localMetadata(request);
        });
    }

    private ModelMetadataResponse localMetadata(ModelMetadataRequest request) {
        InferenceService.Metadata m = service.metadata(request.getName(), request.getVersion());
        return OipGrpc.metadata(m.name(), List.of(m.version()), InferenceService.PLATFORM, m.inputs(), m.outputs());
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        long startNanos = System.nanoTime();
        answer(out, () -> {
            Optional<CloudTarget> cloud = offloader.target(request.getModelName(), request.getModelVersion());
            if (cloud.isPresent()) {
                ModelInferRequest fwd = request.toBuilder().setModelVersion(cloud.get().version()).build();
                return offloader.infer(cloud.get(), startNanos, fwd.getSerializedSize(),
                        () -> offloader.client().infer(fwd), r -> true, () -> localInfer(fwd, startNanos));
            }
            return localInfer(request, startNanos);
        });
    }

    private ModelInferResponse localInfer(ModelInferRequest request, long startNanos) {
        try (InferenceService.Call call = service.begin(request.getModelName(), request.getModelVersion(), startNanos)) {
            ModelInferResponse response = infer(call, request);
            call.succeeded();
            return response;
        }
    }

    private static ModelInferResponse infer(InferenceService.Call call, ModelInferRequest request) {
        InferenceService.Result r = call.infer(OipGrpc.inputs(request), OipGrpc.requestedOutputs(request));
        return OipGrpc.response(request, r.model(), r.version(), r.outputs());
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (OipException e) {
            out.onError(OipGrpc.status(e).asRuntimeException());
            return;
        } catch (StatusRuntimeException e) { // the controller's answer to a forwarded request
            out.onError(e.getStatus().asRuntimeException(e.getTrailers()));
            return;
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }
}
