package dev.continuum.agent.modelcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.continuum.proto.v1.Chunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final int CHUNK = 1000;

    /** Serves {@code bytes} in chunks; may flip a byte of the chunk at one offset a number of times. */
    static final class FakeSource implements ArtifactSource {
        final byte[] bytes;
        final List<Long> opens = new ArrayList<>();
        long sent;
        long corruptAt = -1;
        int corruptTimes;
        long stopAfterBytes = Long.MAX_VALUE;

        FakeSource(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public ChunkStream open(String sha256, long offset, int chunkSize) {
            opens.add(offset);
            return new ChunkStream() {
                long pos = offset;

                @Override
                public boolean hasNext() {
                    if (sent >= stopAfterBytes) {
                        throw new IllegalStateException("UNAVAILABLE: connection lost");
                    }
                    return pos < bytes.length;
                }

                @Override
                public Chunk next() {
                    int n = (int) Math.min(chunkSize, bytes.length - pos);
                    byte[] data = java.util.Arrays.copyOfRange(bytes, (int) pos, (int) pos + n);
                    CRC32C crc = new CRC32C();
                    crc.update(data);
                    int checksum = (int) crc.getValue();
                    if (pos == corruptAt && corruptTimes > 0) {
                        corruptTimes--;
                        data[n / 2] ^= 1;
                    }
                    Chunk c = Chunk.newBuilder().setOffset(pos).setData(ByteString.copyFrom(data)).setCrc32C(checksum)
                            .setTotalSize(bytes.length).build();
                    pos += n;
                    sent += n;
                    return c;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static byte[] artifact() {
        byte[] b = new byte[10_500];
        new Random(7).nextBytes(b);
        return b;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aDownloadResumesFromTheLengthOfItsPartFile(@TempDir Path dir) throws Exception {
        byte[] bytes = artifact();
        String sha = sha(bytes);
        Files.createDirectories(dir);
        Files.write(dir.resolve(sha + ".part"), java.util.Arrays.copyOf(bytes, 4_321));
        FakeSource source = new FakeSource(bytes);
        Path done = new Downloader(dir, source, CHUNK).download(sha, bytes.length, n -> { });
        assertThat(source.opens).containsExactly(4_321L);
        assertThat(source.sent).isEqualTo(bytes.length - 4_321);
        assertThat(Files.readAllBytes(done)).isEqualTo(bytes);
    }

    @Test
    void anInterruptedTransferLeavesAPrefixThatTheNextAttemptContinues(@TempDir Path dir) throws Exception {
        byte[] bytes = artifact();
        String sha = sha(bytes);
        FakeSource cut = new FakeSource(bytes);
        cut.stopAfterBytes = 5 * CHUNK;
        Downloader d = new Downloader(dir, cut, CHUNK);
        assertThatThrownBy(() -> d.download(sha, bytes.length, n -> { })).hasMessageContaining("connection lost");
        assertThat(Files.size(d.partFile(sha))).isEqualTo(5 * CHUNK);

        FakeSource rest = new FakeSource(bytes);
        Path done = new Downloader(dir, rest, CHUNK).download(sha, bytes.length, n -> { });
        assertThat(rest.opens).containsExactly(5L * CHUNK);
        assertThat(Files.readAllBytes(done)).isEqualTo(bytes);
    }

    @Test
    void aChunkFailingItsChecksumIsFetchedAgainFromTheSameOffset(@TempDir Path dir) throws Exception {
        byte[] bytes = artifact();
        String sha = sha(bytes);
        FakeSource source = new FakeSource(bytes);
        source.corruptAt = 3 * CHUNK;
        source.corruptTimes = 2;
        Path done = new Downloader(dir, source, CHUNK).download(sha, bytes.length, n -> { });
        assertThat(source.opens).containsExactly(0L, 3L * CHUNK, 3L * CHUNK);
        assertThat(Files.readAllBytes(done)).isEqualTo(bytes);
    }

    @Test
    void aChunkThatNeverArrivesIntactFailsTheDownloadAsCorrupt(@TempDir Path dir) throws Exception {
        byte[] bytes = artifact();
        String sha = sha(bytes);
        FakeSource source = new FakeSource(bytes);
        source.corruptAt = 0;
        source.corruptTimes = Integer.MAX_VALUE;
        assertThatThrownBy(() -> new Downloader(dir, source, CHUNK).download(sha, bytes.length, n -> { }))
                .isInstanceOfSatisfying(DownloadException.class, e -> assertThat(e.corrupt()).isTrue())
                .hasMessageContaining("chunks failed verification");
    }

    @Test
    void aWholeArtifactWithTheWrongSha256IsDiscarded(@TempDir Path dir) throws Exception {
        byte[] bytes = artifact();
        String claimed = sha("something else".getBytes());
        Downloader d = new Downloader(dir, new FakeSource(bytes), CHUNK);
        assertThatThrownBy(() -> d.download(claimed, bytes.length, n -> { }))
                .isInstanceOfSatisfying(DownloadException.class, e -> assertThat(e.corrupt()).isTrue())
                .hasMessageContaining("downloaded bytes hash to " + sha(bytes));
        assertThat(d.partFile(claimed)).doesNotExist();
    }

    @Test
    void aPartFileLongerThanTheArtifactStartsOver(@TempDir Path dir) throws Exception {
        byte[] bytes = artifact();
        String sha = sha(bytes);
        Files.write(dir.resolve(sha + ".part"), new byte[bytes.length + 5]);
        FakeSource source = new FakeSource(bytes);
        Path done = new Downloader(dir, source, CHUNK).download(sha, bytes.length, n -> { });
        assertThat(source.opens).containsExactly(0L);
        assertThat(Files.readAllBytes(done)).isEqualTo(bytes);
    }
}
