package dev.continuum.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Outbox} contract: every implementation gets a subclass that says how to open one on a
 * location and how to tear its last record as a crash in the middle of a write would.
 */
abstract class OutboxContractTest {
    static final long LARGE = 1 << 20;
    static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;
    /** The wall clock the outbox sees, epoch ms; tests move it. */
    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<Outbox> opened = new ArrayList<>();

    /** Opens the implementation under test on {@code dir}. */
    abstract Outbox open(Path dir, long maxBytes, Duration maxAge, AtomicLong clockMillis) throws IOException;

    /** Leaves the last stored record half written, as a crash during its write would (outbox closed). */
    abstract void tearLastRecord(Path dir) throws IOException;

    Outbox open(long maxBytes, Duration maxAge) throws IOException {
        Outbox o = open(dir, maxBytes, maxAge, clock);
        opened.add(o);
        return o;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Outbox o : opened) {
            o.close();
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Optional<Outbox.Entry> e) {
        return e.map(x -> new String(x.payload(), StandardCharsets.UTF_8)).orElse(null);
    }

    /** Peeks and acknowledges everything, returning the payloads in the order delivered. */
    static List<String> drain(Outbox o) throws IOException {
        List<String> out = new ArrayList<>();
        for (Optional<Outbox.Entry> e = o.peek(); e.isPresent(); e = o.peek()) {
            out.add(e.get().sequence() + ":" + new String(e.get().payload(), StandardCharsets.UTF_8));
            o.acknowledge(e.get().sequence());
        }
        return out;
    }

    @Test
    void appendAssignsSequencesFromOneAndTheOldestIsPeekedUntilAcknowledged() throws IOException {
        Outbox o = open(LARGE, DAY);
        assertThat(o.peek()).isEmpty();
        List<Long> seen = new ArrayList<>();
        for (String s : List.of("a", "b", "c")) {
            o.append(seq -> {
                seen.add(seq);
                return text(s + seq);
            });
        }
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(text(o.peek())).isEqualTo("a1");
        assertThat(text(o.peek())).as("peek does not remove").isEqualTo("a1");
        o.acknowledge(1);
        assertThat(o.peek()).get().extracting(Outbox.Entry::sequence).isEqualTo(2L);
        assertThat(o.stats()).isEqualTo(new Outbox.Stats(2, o.stats().backlogBytes(), 0, 4));
        assertThat(drain(o)).containsExactly("2:b2", "3:c3");
        assertThat(o.stats().backlog()).isZero();
        assertThat(o.stats().backlogBytes()).isZero();
    }

    @Test
    void acknowledgingIsCumulativeIdempotentAndRefusesSequencesNeverAssigned() throws IOException {
        Outbox o = open(LARGE, DAY);
        for (int i = 0; i < 5; i++) {
            o.append(seq -> text("x"));
        }
        o.acknowledge(3);
        assertThat(o.peek()).get().extracting(Outbox.Entry::sequence).isEqualTo(4L);
        o.acknowledge(2);
        o.acknowledge(3);
        assertThat(o.stats().backlog()).isEqualTo(2);
        assertThatThrownBy(() -> o.acknowledge(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sequence 6 was never assigned; the next is 6");
    }

    @Test
    void unacknowledgedEntriesSurviveAReopeningInOrderAndTheSequenceContinues() throws IOException {
        Outbox o = open(LARGE, DAY);
        for (int i = 1; i <= 4; i++) {
            String s = "batch" + i;
            o.append(seq -> text(s));
        }
        o.acknowledge(1);
        o.close();

        Outbox again = open(LARGE, DAY);
        assertThat(again.stats().backlog()).isEqualTo(3);
        assertThat(again.append(seq -> text("batch5")).sequence()).isEqualTo(5);
        assertThat(drain(again)).containsExactly("2:batch2", "3:batch3", "4:batch4", "5:batch5");
        again.close();

        Outbox empty = open(LARGE, DAY);
        assertThat(empty.peek()).as("everything was acknowledged").isEmpty();
        assertThat(empty.append(seq -> text("batch6")).sequence()).as("sequence continues when all was acknowledged")
                .isEqualTo(6);
    }

    @Test
    void theByteBoundDropsTheOldestAndCountsThemAcrossAReopening() throws IOException {
        Outbox o = open(2048, DAY);
        byte[] kilobyteAndSome = new byte[600];
        for (int i = 0; i < 10; i++) {
            o.append(seq -> kilobyteAndSome);
        }
        Outbox.Stats s = o.stats();
        assertThat(s.backlogBytes()).isLessThanOrEqualTo(2048);
        assertThat(s.backlog()).isEqualTo(3);
        assertThat(s.droppedTotal()).isEqualTo(7);
        assertThat(o.peek()).get().extracting(Outbox.Entry::sequence).as("the newest are kept").isEqualTo(8L);
        o.close();

        Outbox again = open(2048, DAY);
        assertThat(again.stats().droppedTotal()).isEqualTo(7);
        assertThat(again.stats().nextSequence()).isEqualTo(11);
        assertThat(drain(again)).hasSize(3);
    }

    @Test
    void aPayloadLargerThanTheWholeBoundIsRefusedNamingItsSize() throws IOException {
        Outbox o = open(1024, DAY);
        assertThatThrownBy(() -> o.append(seq -> new byte[2000])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload of 2000 bytes does not fit the outbox bound of 1024 bytes");
        assertThat(o.append(seq -> text("small")).sequence()).as("the refused payload used no sequence").isEqualTo(1);
    }

    @Test
    void theAgeBoundDropsEntriesOlderThanItEvenAfterAReopening() throws IOException {
        Outbox o = open(LARGE, Duration.ofHours(1));
        o.append(seq -> text("old"));
        clock.addAndGet(Duration.ofMinutes(40).toMillis());
        o.append(seq -> text("newer"));
        clock.addAndGet(Duration.ofMinutes(30).toMillis());
        assertThat(text(o.peek())).isEqualTo("newer");
        assertThat(o.stats().droppedTotal()).isEqualTo(1);
        o.close();

        clock.addAndGet(Duration.ofMinutes(31).toMillis());
        Outbox again = open(LARGE, Duration.ofHours(1));
        assertThat(again.peek()).isEmpty();
        assertThat(again.stats().droppedTotal()).isEqualTo(2);
        assertThat(again.append(seq -> text("fresh")).sequence()).isEqualTo(3);
    }

    @Test
    void aTornLastRecordIsDiscardedAndItsSequenceIsAssignedAgain() throws IOException {
        Outbox o = open(LARGE, DAY);
        o.append(seq -> text("whole-1"));
        o.append(seq -> text("whole-2"));
        o.append(seq -> text("torn-3"));
        o.close();
        tearLastRecord(dir);

        Outbox again = open(LARGE, DAY);
        assertThat(again.stats().backlog()).isEqualTo(2);
        assertThat(again.append(seq -> text("after-" + seq)).sequence()).isEqualTo(3);
        assertThat(drain(again)).containsExactly("1:whole-1", "2:whole-2", "3:after-3");
    }

    @Test
    void aClosedOutboxRefusesToWork() throws IOException {
        Outbox o = open(LARGE, DAY);
        o.close();
        assertThatThrownBy(() -> o.append(seq -> text("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }
}
