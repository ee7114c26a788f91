package dev.continuum.agent.link;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Sends {@code authorization: Bearer <device credential>} on every call. */
public final class BearerCredential extends CallCredentials {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<Identity> identity;

    public BearerCredential(Supplier<Identity> identity) {
        this.identity = identity;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Identity id = identity.get();
        if (id == null) {
            applier.fail(Status.UNAUTHENTICATED.withDescription("this agent has not enrolled yet"));
            return;
        }
        Metadata m = new Metadata();
        m.put(AUTHORIZATION, "Bearer " + id.credential());
        applier.apply(m);
    }
}
