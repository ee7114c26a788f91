package dev.continuum.agent.modelcache;

import dev.continuum.proto.v1.Chunk;
import java.util.Iterator;

/** Where artifact bytes come from: the controller's {@code ArtifactTransfer.Fetch}, or a fake in tests. */
public interface ArtifactSource {
    /**
     * Opens a stream of the artifact's chunks from {@code offset}. Closing the stream cancels it.
     * Failures of the transport surface as runtime exceptions from {@code hasNext}/{@code next}.
     */
    ChunkStream open(String sha256, long offset, int chunkSize);

    /** Chunks in order; close cancels the transfer. */
    interface ChunkStream extends Iterator<Chunk>, AutoCloseable {
        @Override
        void close();
    }
}
