package dev.continuum.agent.telemetry;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Store-and-forward queue of telemetry payloads between the publisher (one per interval) and the
 * sender (to the MQTT broker).
 *
 * <p><b>Lifecycle.</b> An outbox is opened on a location (for {@link FileOutbox} a directory); what
 * was appended and not acknowledged before {@link #close} or a crash is there again when the same
 * location is opened next. {@link #append} assigns the next sequence number (1 for a new outbox,
 * then one more for every append, across reopenings; never reused, even for entries that were
 * acknowledged or dropped). The sender {@link #peek}s the oldest entry, delivers it, and
 * {@link #acknowledge}s it, which removes it; an unacknowledged entry is peeked again (after a
 * reopening too), so delivery is <em>at least once, in sequence order</em>: a consumer sees every
 * entry that was not dropped, possibly more than once, and first sees them in increasing sequence.
 *
 * <p><b>Durability.</b> When {@code append} returns the entry is on stable storage; when
 * {@code acknowledge} returns the acknowledgement is (a crash right after either loses neither).
 * An entry that a crash left half written is never returned: it is detected and discarded on the
 * next opening.
 *
 * <p><b>Bounds.</b> The stored entries are bounded by their total bytes and by their age, both set
 * when the outbox is opened. When an append takes the total over the byte bound, or an entry gets
 * older than the age bound, the <em>oldest</em> entries are dropped until the bounds hold again;
 * every dropped entry is counted in {@link Stats#droppedTotal}, which is persisted with the outbox
 * and never decreases. An entry that is being delivered may be dropped; acknowledging it afterwards
 * is harmless.
 *
 * <p>Implementations are thread-safe: the publisher appends while the sender peeks and acknowledges.
 */
public interface Outbox extends Closeable {
    /** One stored payload: its sequence number, when it was appended (epoch ms) and its bytes. */
    record Entry(long sequence, long appendedAtMillis, byte[] payload) {
    }

    /**
     * How the outbox stands.
     *
     * @param backlog        entries stored and not yet acknowledged
     * @param backlogBytes   their size on disk, record headers included
     * @param droppedTotal   entries dropped by the bounds since the outbox was created
     * @param nextSequence   the sequence the next append gets
     */
    record Stats(long backlog, long backlogBytes, long droppedTotal, long nextSequence) {
    }

    /**
     * Stores a payload under the next sequence number, which {@code payload} receives (so the payload
     * can carry it), then enforces the bounds. Returns the stored entry.
     *
     * @throws IllegalArgumentException when the payload alone exceeds the byte bound
     * @throws IOException              when it cannot be stored; the sequence number is not used then
     */
    Entry append(LongFunction<byte[]> payload) throws IOException;

    /** The oldest entry not yet acknowledged (dropping entries past the age bound first), if any. */
    Optional<Entry> peek() throws IOException;

    /**
     * Removes every entry up to and including {@code sequence}. Sequences already acknowledged or
     * dropped are ignored.
     *
     * @throws IllegalArgumentException when {@code sequence} was never assigned
     */
    void acknowledge(long sequence) throws IOException;

    Stats stats();
}
