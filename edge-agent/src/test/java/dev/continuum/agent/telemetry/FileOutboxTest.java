package dev.continuum.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileOutboxTest extends OutboxContractTest {
    @Override
    Outbox open(Path dir, long maxBytes, Duration maxAge, AtomicLong clockMillis) throws IOException {
        return FileOutbox.open(dir, maxBytes, maxAge, clockMillis::get);
    }

    @Override
    void tearLastRecord(Path dir) throws IOException {
        Path last = segments(dir).get(segments(dir).size() - 1);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(f.length() - 3);
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void aRecordWithFlippedBitsIsCutOffWithEverythingAfterIt() throws IOException {
        Outbox o = open(LARGE, DAY);
        o.append(seq -> text("good"));
        o.append(seq -> text("flipped"));
        o.close();
        Path seg = segments(dir).get(0);
        byte[] b = Files.readAllBytes(seg);
        b[b.length - 6] ^= 0x10; // inside the second payload
        Files.write(seg, b);

        Outbox again = open(LARGE, DAY);
        assertThat(drain(again)).containsExactly("1:good");
        assertThat(again.append(seq -> text("next")).sequence()).isEqualTo(2);
    }

    @Test
    void anEntryDamagedOnDiskAfterOpeningIsDroppedAndCountedNotDelivered() throws IOException {
        Outbox o = open(LARGE, DAY);
        o.append(seq -> text("damaged"));
        o.append(seq -> text("intact"));
        Path seg = segments(dir).get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(21); // inside the first payload
            f.write('X');
        }
        assertThat(text(o.peek())).isEqualTo("intact");
        assertThat(o.stats().droppedTotal()).isEqualTo(1);
        assertThat(o.stats().backlog()).isEqualTo(1);
    }

    @Test
    void fullyAcknowledgedSegmentsAreDeleted() throws IOException {
        Outbox o = open(4096, DAY); // segments roll at 1 KiB
        for (int i = 0; i < 12; i++) {
            o.append(seq -> new byte[200]);
        }
        assertThat(segments(dir)).hasSizeGreaterThan(2);
        drain(o);
        assertThat(segments(dir)).isEmpty();
        assertThat(o.append(seq -> text("x")).sequence()).isEqualTo(13);
    }

    @Test
    void aDamagedStateFileMakesEveryStoredEntryComeAgainRatherThanFail() throws IOException {
        Outbox o = open(LARGE, DAY);
        o.append(seq -> text("one"));
        o.append(seq -> text("two"));
        o.acknowledge(1);
        o.close();
        Files.write(dir.resolve(FileOutbox.STATE), new byte[] {1, 2, 3});

        Outbox again = open(LARGE, DAY);
        assertThat(drain(again)).containsExactly("1:one", "2:two");
    }

    @Test
    void boundsBelowOneKilobyteOrWithoutAgeAreRefused() {
        assertThatThrownBy(() -> FileOutbox.open(dir, 100, DAY)).hasMessage("outbox byte bound must be at least 1024, got 100");
        assertThatThrownBy(() -> FileOutbox.open(dir, LARGE, Duration.ZERO)).hasMessage("outbox age bound must be positive, got PT0S");
    }
}
