package dev.continuum.agent.offload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.continuum.agent.FakeController;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.Tensor;
import dev.continuum.oip.OipException;
import dev.continuum.oip.OipGrpc;
import dev.continuum.oip.OipJson;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataRequest;
import dev.continuum.proto.inference.ModelMetadataResponse;
import io.grpc.Contexts;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the controller's OIP v2 endpoint: REST on a real port (the JDK's HTTP server) and
 * {@code inference.GRPCInferenceService} in process, both running LeNet ("lenet" version "1") in the
 * engine. It records the requests it saw with their {@code Authorization}, and can be told to answer
 * 503 (at its limit) or to stall.
 */
final class FakeOipController implements AutoCloseable {
    static final String CREDENTIAL = "ctd_device-secret";
    private static final Context.Key<String> AUTH = Context.key("auth");

    record Seen(String method, String path, String authorization) {
    }

    final List<Seen> rest = new CopyOnWriteArrayList<>();
    final List<String> grpcAuthorizations = new CopyOnWriteArrayList<>();
    final List<ModelInferRequest> grpcRequests = new CopyOnWriteArrayList<>();
    final AtomicInteger infers = new AtomicInteger();
    volatile int forcedStatus;
    volatile long stallMillis;
    private final Model model = Model.load(FakeController.lenetBytes());
    private final Session session = model.newSession();
    private final HttpServer http;
    private final Server grpc;
    private final String grpcName = "fake-oip-" + System.nanoTime();

    FakeOipController() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        http.createContext("/", this::handle);
        http.start();
        ServerInterceptor auth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String a = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                return Contexts.interceptCall(Context.current().withValue(AUTH, a), call, headers, next);
            }
        };
        grpc = InProcessServerBuilder.forName(grpcName).addService(ServerInterceptors.intercept(new Grpc(), auth))
                .build().start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    ManagedChannel channel() {
        return InProcessChannelBuilder.forName(grpcName).build();
    }

    private synchronized Map<String, Tensor> run(Map<String, Tensor> inputs) {
        infers.incrementAndGet();
        return session.run(inputs);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            rest.add(new Seen(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization")));
            stall();
            if (forcedStatus != 0) {
                send(ex, forcedStatus, OipJson.error("cloud inference is at its limit; retry later"));
                return;
            }
            if (!("Bearer " + CREDENTIAL).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, OipJson.error("unknown credential"));
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            try {
                switch (path) {
                    case "/v2/models/lenet/versions/1/infer" -> {
                        OipJson.Request r = OipJson.parseInferRequest(body);
                        send(ex, 200, OipJson.inferResponse("lenet", "1", run(r.inputs()), r.id()));
                    }
                    case "/v2/models/lenet/versions/1/ready" -> send(ex, 200, OipJson.object(Map.of("name", "lenet", "ready", true)));
                    case "/v2/models/lenet/versions/1" -> send(ex, 200, OipJson.metadata("lenet", List.of("1"),
                            "onnx_onnxv1", model.inputs(), model.outputs()));
                    default -> send(ex, 404, OipJson.error("model 'lenet' has no version or alias at " + path));
                }
            } catch (OipException e) {
                send(ex, e.status(), OipJson.error(e.getMessage()));
            } catch (RuntimeException e) {
                send(ex, 400, OipJson.error(e.getMessage()));
            }
        }
    }

    private void stall() {
        if (stallMillis > 0) {
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private final class Grpc extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
            grpcAuthorizations.add(String.valueOf(AUTH.get()));
            grpcRequests.add(request);
            if (!"1".equals(request.getModelVersion())) {
                out.onError(Status.NOT_FOUND.withDescription("model 'lenet' has no version or alias '"
                        + request.getModelVersion() + "'").asRuntimeException());
                return;
            }
            try {
                out.onNext(OipGrpc.response(request, "lenet", "1", run(OipGrpc.inputs(request))));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
            grpcAuthorizations.add(String.valueOf(AUTH.get()));
            out.onNext(OipGrpc.metadata("lenet", List.of("1"), "onnx_onnxv1", model.inputs(), model.outputs()));
            out.onCompleted();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        grpc.shutdownNow();
        session.close();
    }
}
