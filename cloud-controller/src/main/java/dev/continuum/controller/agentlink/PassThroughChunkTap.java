package dev.continuum.controller.agentlink;

import com.google.protobuf.ByteString;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The production {@link ChunkTap}: chunks go out as read. */
@ApplicationScoped
public class PassThroughChunkTap {
    @Produces
    @DefaultBean
    @ApplicationScoped
    ChunkTap passThrough() {
        return (sha256, offset, data) -> data;
    }
}
