package dev.continuum.controller.agentlink;

import com.google.protobuf.ByteString;

/**
 * Sees every artifact chunk just before it is sent, after its checksum was computed. The default
 * passes chunks through untouched; tests replace the bean to delay or corrupt chunks and prove that
 * agents detect and refetch them.
 */
public interface ChunkTap {
    ByteString beforeSend(String sha256, long offset, ByteString data);
}
