package dev.continuum.controller.agentlink;

import com.google.protobuf.ByteString;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** The production {@link ChunkTap}: chunks go out as read. */
@ApplicationScoped
@DefaultBean
public class PassThroughChunkTap implements ChunkTap {
    @Override
    public ByteString beforeSend(String sha256, long offset, ByteString data) {
        return data;
    }
}
