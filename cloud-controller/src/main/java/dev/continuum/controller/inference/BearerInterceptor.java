package dev.continuum.controller.inference;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts the {@code authorization} metadata of an inference call into the gRPC {@link Context}
 * ({@link #AUTHORIZATION}); {@link OipGrpcService} checks it on a worker thread, since this runs on
 * the event loop, which must not block on the database.
 */
@ApplicationScoped
public class BearerInterceptor implements ServerInterceptor {
    static final Context.Key<String> AUTHORIZATION = Context.key("continuum-inference-authorization");
    private static final Metadata.Key<String> HEADER = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String value = headers.get(HEADER);
        if (value == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(AUTHORIZATION, value), call, headers, next);
    }
}
