package dev.continuum.agent.modelcache;

import dev.continuum.proto.v1.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Resumable, verified artifact download into {@code <data-dir>/downloads/<sha256>.part}.
 * <ul>
 *   <li>Resume: the part file holds a prefix of the artifact; a download (after a reconnect or an
 *       agent restart) asks for the bytes from the part file's length on.
 *   <li>Per chunk: the offset must be the next expected byte and the CRC32C must match; a chunk that
 *       fails is not written, the stream is cancelled and the transfer restarts from the same
 *       offset, up to {@link #MAX_BAD_CHUNKS} times per download.
 *   <li>Whole artifact: sha256 over the complete part file; on a mismatch the part file is deleted
 *       (its bytes cannot be trusted) and the download fails as corrupt.
 * </ul>
 * Only verified chunk bytes are written, straight to the file (no user-space buffer), so a killed
 * process leaves a part file that is a prefix of the artifact.
 */
public final class Downloader {
    private static final Logger LOG = Logger.getLogger(Downloader.class.getName());
    static final int MAX_BAD_CHUNKS = 8;
    /** Transfers that end early before the artifact is complete, retried from their offset. */
    static final int MAX_SHORT_STREAMS = 3;

    private final Path downloads;
    private final ArtifactSource source;
    private final int chunkSize;

    public Downloader(Path downloads, ArtifactSource source, int chunkSize) {
        this.downloads = downloads;
        this.source = source;
        this.chunkSize = chunkSize;
    }

    public Path partFile(String sha256) {
        return downloads.resolve(sha256 + ".part");
    }

    /**
     * Downloads the artifact (or its missing tail), verifies it and returns the verified part file,
     * ready to be moved into the cache. {@code progress} receives the byte count after each chunk.
     */
    public Path download(String sha256, long sizeBytes, LongConsumer progress) throws DownloadException, IOException {
        Files.createDirectories(downloads);
        Path part = partFile(sha256);
        long offset = Files.exists(part) ? Files.size(part) : 0;
        if (offset > sizeBytes) {
            LOG.warning(() -> part + " is longer than the artifact; starting over");
            Files.delete(part);
            offset = 0;
        }
        if (offset > 0) {
            long from = offset;
            LOG.info(() -> "resuming download of " + sha256 + " at byte " + from + " of " + sizeBytes);
        }
        int badChunks = 0;
        int shortStreams = 0;
        CRC32C crc = new CRC32C();
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(offset);
            out.position(offset);
            while (offset < sizeBytes) {
                boolean restart = false;
                try (ArtifactSource.ChunkStream chunks = source.open(sha256, offset, chunkSize)) {
                    while (chunks.hasNext()) {
                        Chunk c = chunks.next();
                        if (c.getTotalSize() != sizeBytes) {
                            throw new DownloadException("artifact " + sha256 + ": the controller sends "
                                    + c.getTotalSize() + " bytes, the desired state says " + sizeBytes, true, null);
                        }
                        crc.reset();
                        crc.update(c.getData().asReadOnlyByteBuffer());
                        if (c.getOffset() != offset || (int) crc.getValue() != c.getCrc32C()
                                || offset + c.getData().size() > sizeBytes) {
                            badChunks++;
                            long at = offset;
                            String why = c.getOffset() != offset ? "arrived at offset " + c.getOffset()
                                    : (int) crc.getValue() != c.getCrc32C() ? "failed its CRC32C check" : "runs past the end";
                            LOG.warning(() -> "artifact " + sha256 + ": chunk at byte " + at + " " + why
                                    + "; fetching again from byte " + at);
                            if (badChunks > MAX_BAD_CHUNKS) {
                                throw new DownloadException("artifact " + sha256 + ": " + badChunks
                                        + " chunks failed verification; giving up for now", true, null);
                            }
                            restart = true;
                            break;
                        }
                        ByteBuffer data = c.getData().asReadOnlyByteBuffer();
                        while (data.hasRemaining()) {
                            out.write(data);
                        }
                        offset += c.getData().size();
                        progress.accept(offset);
                    }
                }
                if (!restart && offset < sizeBytes && ++shortStreams > MAX_SHORT_STREAMS) {
                    throw new DownloadException("artifact " + sha256 + ": the transfer ended at byte " + offset
                            + " of " + sizeBytes, false, null);
                }
            }
            out.force(true);
        }
        String actual = sha256(part);
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(part);
            throw new DownloadException("artifact " + sha256 + ": downloaded bytes hash to " + actual
                    + "; discarded, it will be fetched again", true, null);
        }
        return part;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
