package dev.continuum.agent.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * An {@link Outbox} in a directory of append-only segment files ({@link Segment}) plus a small
 * {@code state} file holding the head (every sequence below it is acknowledged or dropped) and the
 * drop count.
 *
 * <p><b>fsync policy.</b> Every append is forced to disk ({@code fdatasync}) before it returns, and
 * so is every change of the state file (written to {@code state.tmp}, forced, renamed over
 * {@code state}, directory forced). At one batch per interval that is a few syncs a minute. A crash
 * between an append's write and its sync can leave a torn last record, which the next opening
 * detects by length and CRC and cuts off; a crash before a state change is synced makes the
 * acknowledged entries come again (at least once).
 *
 * <p>Segments roll at a quarter of the byte bound (1 KiB to 1 MiB) and are deleted once every entry
 * in them is gone, so the directory holds at most the byte bound plus one segment. The index of the
 * stored entries (about 50 bytes each) is kept in memory; payloads are read from disk when peeked.
 * The age bound is measured on the wall clock at append.
 */
public final class FileOutbox implements Outbox {
    private static final Logger LOG = Logger.getLogger(FileOutbox.class.getName());
    static final String STATE = "state";
    private static final int STATE_MAGIC = 0x43544f42; // "CTOB"
    private static final int STATE_BYTES = 4 + 8 + 8 + 4;

    /** Where a stored entry is. */
    private record Slot(long sequence, long appendedAtMillis, Segment segment, long offset, int payloadBytes) {
        long bytes() {
            return Segment.OVERHEAD_BYTES + (long) payloadBytes;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long maxAgeMillis;
    private final LongSupplier clockMillis;
    private final long segmentBytes;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long head = 1;
    private long next = 1;
    private long dropped;
    private long liveBytes;
    private boolean closed;
    /** Drops are logged as a warning once per opening, then quietly (they are counted in the stats). */
    private boolean dropWarned;

    private FileOutbox(Path dir, long maxBytes, Duration maxAge, LongSupplier clockMillis) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("outbox byte bound must be at least 1024, got " + maxBytes);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("outbox age bound must be positive, got " + maxAge);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAge.toMillis();
        this.clockMillis = clockMillis;
        this.segmentBytes = Math.max(1024, Math.min(1 << 20, maxBytes / 4));
    }

    /** Opens (creating it when missing) the outbox in {@code dir}, bounded to {@code maxBytes} and {@code maxAge}. */
    public static FileOutbox open(Path dir, long maxBytes, Duration maxAge) throws IOException {
        return open(dir, maxBytes, maxAge, System::currentTimeMillis);
    }

    /** As {@link #open(Path, long, Duration)} with the wall clock (epoch ms) given. */
    public static FileOutbox open(Path dir, long maxBytes, Duration maxAge, LongSupplier clockMillis) throws IOException {
        FileOutbox o = new FileOutbox(dir, maxBytes, maxAge, clockMillis);
        try {
            o.load();
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
        return o;
    }

    private void load() throws IOException {
        Files.createDirectories(dir);
        readState();
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + Segment.SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    files.put(Long.parseLong(n.substring(0, n.length() - Segment.SUFFIX.length())), p);
                } catch (NumberFormatException e) {
                    LOG.warning(() -> "telemetry outbox: ignoring " + p + " (not a segment name)");
                }
            }
        }
        long last = head - 1;
        for (var f : files.entrySet()) {
            List<Segment.Scanned> found = new ArrayList<>();
            Segment s = Segment.open(f.getValue(), f.getKey(), found);
            segments.add(s);
            for (Segment.Scanned r : found) {
                if (r.sequence() >= head && r.sequence() > last) {
                    slots.add(new Slot(r.sequence(), r.appendedAtMillis(), s, r.offset(), r.payloadBytes()));
                    liveBytes += Segment.OVERHEAD_BYTES + (long) r.payloadBytes();
                }
                last = Math.max(last, r.sequence());
            }
        }
        next = last + 1;
        enforceBounds();
        deleteDeadSegments();
    }

    @Override
    public synchronized Entry append(LongFunction<byte[]> payload) throws IOException {
        ensureOpen();
        long seq = next;
        byte[] p = payload.apply(seq);
        if (Segment.OVERHEAD_BYTES + (long) p.length > maxBytes) {
            throw new IllegalArgumentException("a payload of " + p.length + " bytes does not fit the outbox bound of "
                    + maxBytes + " bytes");
        }
        Segment s = segments.peekLast();
        if (s == null || s.size() > 0 && s.size() + Segment.OVERHEAD_BYTES + p.length > segmentBytes) {
            s = Segment.create(dir, seq);
            segments.add(s);
            forceDirectory();
        }
        long now = clockMillis.getAsLong();
        long offset = s.append(seq, now, p);
        next = seq + 1;
        Slot slot = new Slot(seq, now, s, offset, p.length);
        slots.add(slot);
        liveBytes += slot.bytes();
        if (enforceBounds()) {
            deleteDeadSegments();
        }
        return new Entry(seq, now, p);
    }

    @Override
    public synchronized Optional<Entry> peek() throws IOException {
        ensureOpen();
        if (enforceBounds()) {
            deleteDeadSegments();
        }
        while (!slots.isEmpty()) {
            Slot s = slots.peekFirst();
            byte[] payload = s.segment().read(s.offset(), s.payloadBytes());
            if (payload != null) {
                return Optional.of(new Entry(s.sequence(), s.appendedAtMillis(), payload));
            }
            LOG.warning(() -> "telemetry outbox: entry " + s.sequence() + " no longer matches its CRC; dropping it");
            dropOldest();
            writeState();
        }
        return Optional.empty();
    }

    @Override
    public synchronized void acknowledge(long sequence) throws IOException {
        ensureOpen();
        if (sequence >= next) {
            throw new IllegalArgumentException("sequence " + sequence + " was never assigned; the next is " + next);
        }
        if (sequence < head) {
            return;
        }
        while (!slots.isEmpty() && slots.peekFirst().sequence() <= sequence) {
            liveBytes -= slots.removeFirst().bytes();
        }
        head = sequence + 1;
        writeState();
        deleteDeadSegments();
    }

    @Override
    public synchronized Stats stats() {
        return new Stats(slots.size(), liveBytes, dropped, next);
    }

    /** Drops the oldest entries while a bound is exceeded; true (and the state written) when any went. */
    private boolean enforceBounds() throws IOException {
        long oldestAllowed = clockMillis.getAsLong() - maxAgeMillis;
        int before = slots.size();
        while (!slots.isEmpty() && (liveBytes > maxBytes || slots.peekFirst().appendedAtMillis() < oldestAllowed)) {
            dropOldest();
        }
        int n = before - slots.size();
        if (n == 0) {
            return false;
        }
        LOG.log(dropWarned ? Level.FINE : Level.WARNING, () -> "telemetry outbox: dropped the " + n
                + " oldest batches (bounds " + maxBytes + " bytes, " + Duration.ofMillis(maxAgeMillis) + "); "
                + dropped + " dropped in all");
        dropWarned = true;
        writeState();
        return true;
    }

    private void dropOldest() {
        Slot s = slots.removeFirst();
        liveBytes -= s.bytes();
        dropped++;
        head = slots.isEmpty() ? next : slots.peekFirst().sequence();
    }

    /** Deletes segments whose every record is below the head (the state saying so is already on disk). */
    private void deleteDeadSegments() throws IOException {
        while (!segments.isEmpty() && segments.peekFirst().lastSequence() < head) {
            segments.removeFirst().delete();
        }
    }

    private void readState() throws IOException {
        Path f = dir.resolve(STATE);
        if (!Files.exists(f)) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
        CRC32C crc = new CRC32C();
        if (b.capacity() == STATE_BYTES) {
            crc.update(b.array(), 0, STATE_BYTES - 4);
        }
        if (b.capacity() != STATE_BYTES || b.getInt(0) != STATE_MAGIC || (int) crc.getValue() != b.getInt(STATE_BYTES - 4)) {
            LOG.warning(() -> "telemetry outbox: " + f + " is damaged; every stored batch will be sent again");
            return;
        }
        head = Math.max(1, b.getLong(4));
        dropped = b.getLong(12);
    }

    private void writeState() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(STATE_BYTES).putInt(STATE_MAGIC).putLong(head).putLong(dropped);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        Path tmp = dir.resolve(STATE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
    }

    /** Makes a created or renamed file's directory entry durable (not possible on every platform). */
    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; the rename is still atomic there
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the telemetry outbox in " + dir + " is closed");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        segments.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "FileOutbox[" + dir + "]";
    }
}
