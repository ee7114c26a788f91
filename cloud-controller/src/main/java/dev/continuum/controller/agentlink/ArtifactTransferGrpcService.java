package dev.continuum.controller.agentlink;

import com.google.protobuf.ByteString;
import dev.continuum.controller.registry.ArtifactStore;
import dev.continuum.proto.v1.ArtifactTransferGrpc;
import dev.continuum.proto.v1.Chunk;
import dev.continuum.proto.v1.FetchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * {@code continuum.v1.ArtifactTransfer.Fetch}: streams an artifact from an offset in CRC32C-checked
 * chunks, reading the file as the client's flow control allows (never the whole artifact in memory).
 * A device may fetch only artifacts its own desired state references; any other digest, existing or
 * not, is PERMISSION_DENIED.
 */
@GrpcService
public class ArtifactTransferGrpcService extends ArtifactTransferGrpc.ArtifactTransferImplBase {
    private static final Logger LOG = Logger.getLogger(ArtifactTransferGrpcService.class);
    static final int DEFAULT_CHUNK = 256 * 1024;
    static final int MAX_CHUNK = 1024 * 1024;
    static final int MIN_CHUNK = 1024;

    @Inject
    EnrolmentService enrolment;

    @Inject
    DesiredStateService desired;

    @Inject
    ArtifactStore store;

    @Inject
    ChunkTap tap;

    @Inject
    TransferStats stats;

    @Inject
    AgentLinkExecutor executor;

    @Override
    public void fetch(FetchRequest req, StreamObserver<Chunk> responses) {
        ServerCallStreamObserver<Chunk> out = (ServerCallStreamObserver<Chunk>) responses;
        Object ready = new Object();
        out.setOnReadyHandler(() -> {
            synchronized (ready) {
                ready.notifyAll();
            }
        });
        out.setOnCancelHandler(() -> {
            synchronized (ready) {
                ready.notifyAll();
            }
        });
        String credential = DeviceAuthInterceptor.CREDENTIAL.get();
        executor.execute(() -> {
            try {
                send(req, out, credential, ready);
            } catch (RuntimeException | IOException e) {
                if (!out.isCancelled()) {
                    out.onError(GrpcErrors.of(e));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void send(FetchRequest req, ServerCallStreamObserver<Chunk> out, String credential, Object ready)
            throws IOException, InterruptedException {
        String deviceId = enrolment.authenticate(credential);
        String sha = req.getSha256();
        if (!DeviceSecrets.SHA256_HEX.matcher(sha).matches() || !desired.mayFetch(deviceId, sha)) {
            throw Status.PERMISSION_DENIED.withDescription("artifact '" + sha + "' is not in the desired state of device "
                    + deviceId).asRuntimeException();
        }
        Path file = store.path(sha);
        int chunk = req.getChunkSize() == 0 ? DEFAULT_CHUNK : Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, req.getChunkSize()));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (req.getOffset() < 0 || req.getOffset() > size) {
                throw Status.OUT_OF_RANGE.withDescription("offset " + req.getOffset() + " is outside artifact " + sha
                        + " of " + size + " bytes").asRuntimeException();
            }
            long pos = req.getOffset();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(chunk, Math.max(1, size - pos)));
            CRC32C crc = new CRC32C();
            while (pos < size) {
                synchronized (ready) {
                    while (!out.isReady() && !out.isCancelled()) {
                        ready.wait(1000);
                    }
                }
                if (out.isCancelled()) {
                    LOG.debugf("device %s cancelled the transfer of %s at byte %d", deviceId, sha, pos);
                    return;
                }
                buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("artifact " + sha + " is shorter than " + size + " bytes");
                    }
                }
                buf.flip();
                ByteString data = ByteString.copyFrom(buf);
                crc.reset();
                crc.update(data.asReadOnlyByteBuffer());
                int checksum = (int) crc.getValue();
                data = tap.beforeSend(sha, pos, data);
                if (out.isCancelled()) {
                    return;
                }
                out.onNext(Chunk.newBuilder().setOffset(pos).setData(data).setCrc32C(checksum).setTotalSize(size).build());
                stats.sent(sha, data.size());
                pos += data.size();
            }
            out.onCompleted();
        } catch (NoSuchFileException e) {
            throw Status.NOT_FOUND.withDescription("artifact " + sha + " is assigned but missing from the artifact store")
                    .asRuntimeException();
        }
    }
}
