package dev.continuum.agent.telemetry;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * One append-only segment file of a {@link FileOutbox}, named after the first sequence it holds.
 * A record is {@code [int payloadLength][long sequence][long appendedAtMillis][payload][int crc32c]},
 * big-endian, the CRC-32C covering everything before it; so a record cut short by a crash, or with
 * flipped bits, is recognised by its length or its CRC.
 */
final class Segment implements Closeable {
    private static final Logger LOG = Logger.getLogger(Segment.class.getName());
    static final int HEADER_BYTES = 4 + 8 + 8;
    static final int OVERHEAD_BYTES = HEADER_BYTES + 4;
    /** Larger lengths are taken as garbage when scanning (no payload is ever this large). */
    static final int MAX_PAYLOAD_BYTES = 64 << 20;
    static final String SUFFIX = ".seg";

    /** A record found by {@link #open}: where it is and what it says. */
    record Scanned(long sequence, long appendedAtMillis, long offset, int payloadBytes) {
    }

    final long firstSequence;
    final Path path;
    private final FileChannel channel;
    private long size;
    private long lastSequence;

    private Segment(long firstSequence, Path path, FileChannel channel, long size, long lastSequence) {
        this.firstSequence = firstSequence;
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.lastSequence = lastSequence;
    }

    static Path pathOf(Path dir, long firstSequence) {
        return dir.resolve(String.format("%020d%s", firstSequence, SUFFIX));
    }

    /** A new, empty segment file. */
    static Segment create(Path dir, long firstSequence) throws IOException {
        Path p = pathOf(dir, firstSequence);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(firstSequence, p, ch, 0, firstSequence - 1);
    }

    /**
     * Opens an existing segment and reads its records into {@code found}. The first record that is
     * cut short, fails its CRC or does not follow its predecessor's sequence ends the segment: it and
     * everything after it is cut off the file (logged), so it is never delivered and appends go after
     * the last good record.
     */
    static Segment open(Path path, long firstSequence, List<Scanned> found) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long fileSize = ch.size();
        long pos = 0;
        long last = firstSequence - 1;
        String torn = null;
        // one sequential buffered pass: a full outbox of small records opens in milliseconds
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch.position(0)), 1 << 16));
        byte[] rec = new byte[OVERHEAD_BYTES + 1024];
        while (pos < fileSize) {
            if (fileSize - pos < OVERHEAD_BYTES) {
                torn = "a record header cut short";
                break;
            }
            in.readFully(rec, 0, HEADER_BYTES);
            ByteBuffer header = ByteBuffer.wrap(rec, 0, HEADER_BYTES);
            int length = header.getInt(0);
            long seq = header.getLong(4);
            long at = header.getLong(12);
            if (length < 0 || length > MAX_PAYLOAD_BYTES || fileSize - pos < OVERHEAD_BYTES + (long) length) {
                torn = "a record of " + length + " bytes cut short";
                break;
            }
            if (rec.length < OVERHEAD_BYTES + length) {
                rec = Arrays.copyOf(rec, OVERHEAD_BYTES + length);
            }
            in.readFully(rec, HEADER_BYTES, length + 4);
            if (!crcMatches(rec, OVERHEAD_BYTES + length) || seq <= last) {
                torn = seq <= last ? "sequence " + seq + " after " + last : "a record failing its CRC";
                break;
            }
            found.add(new Scanned(seq, at, pos, length));
            last = seq;
            pos += OVERHEAD_BYTES + length;
        }
        if (torn != null) {
            String why = torn;
            long at = pos;
            LOG.warning(() -> "telemetry outbox: " + path.getFileName() + " ends in " + why + " at byte " + at
                    + " (an interrupted write); discarding " + (fileSize - at) + " bytes");
            ch.truncate(pos);
            ch.force(true);
        }
        return new Segment(firstSequence, path, ch, pos, last);
    }

    long size() {
        return size;
    }

    long lastSequence() {
        return lastSequence;
    }

    /** Appends one record and forces it to disk; returns its offset. A failed write is cut off again. */
    long append(long sequence, long appendedAtMillis, byte[] payload) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(OVERHEAD_BYTES + payload.length);
        rec.putInt(payload.length).putLong(sequence).putLong(appendedAtMillis).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, rec.position());
        rec.putInt((int) crc.getValue());
        rec.flip();
        long offset = size;
        try {
            while (rec.hasRemaining()) {
                channel.write(rec, offset + rec.position());
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(offset);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        size = offset + OVERHEAD_BYTES + payload.length;
        lastSequence = sequence;
        return offset;
    }

    /** The payload of the record at {@code offset}, or null when it no longer matches its CRC. */
    byte[] read(long offset, int payloadBytes) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(OVERHEAD_BYTES + payloadBytes);
        readFully(channel, rec, offset);
        if (!crcMatches(rec.array(), rec.capacity()) || rec.getInt(0) != payloadBytes) {
            return null;
        }
        byte[] payload = new byte[payloadBytes];
        System.arraycopy(rec.array(), HEADER_BYTES, payload, 0, payloadBytes);
        return payload;
    }

    /** Whether the first {@code length} bytes of {@code rec} are a record whose CRC matches. */
    private static boolean crcMatches(byte[] rec, int length) {
        CRC32C crc = new CRC32C();
        crc.update(rec, 0, length - 4);
        return (int) crc.getValue() == ByteBuffer.wrap(rec, length - 4, 4).getInt();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Closes and deletes the file. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
