package dev.continuum.controller.agentlink;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Device calls on the agent-link services must carry {@code authorization: Bearer <device credential>};
 * calls without one are closed UNAUTHENTICATED here. The credential goes into the gRPC {@link Context}
 * ({@link #CREDENTIAL}); the services check it against the database on a worker thread (this runs on
 * the event loop, which must not block). Enrolment is exempt: its request carries a bootstrap token.
 */
@ApplicationScoped
@GlobalInterceptor
public class DeviceAuthInterceptor implements ServerInterceptor {
    public static final Context.Key<String> CREDENTIAL = Context.key("continuum-device-credential");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> DEVICE_SERVICES = Set.of("continuum.v1.AgentLink", "continuum.v1.ArtifactTransfer");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!DEVICE_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "send the device credential as 'authorization: Bearer <credential>'"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Context ctx = Context.current().withValue(CREDENTIAL, header.substring(7).trim());
        return Contexts.interceptCall(ctx, call, headers, next);
    }
}
