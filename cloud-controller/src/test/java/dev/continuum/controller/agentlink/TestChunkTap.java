package dev.continuum.controller.agentlink;

import com.google.protobuf.ByteString;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' {@link ChunkTap}: passes chunks through unless a test asks it to slow every chunk
 * down or to flip one byte of the chunk at an offset ({@code times} times).
 */
@Singleton // no client proxy: the tests set its fields directly
@Alternative
@Priority(1)
public class TestChunkTap implements ChunkTap {
    volatile long delayMillis;
    volatile long corruptOffset = -1;
    final AtomicInteger corruptionsLeft = new AtomicInteger();
    final AtomicInteger corrupted = new AtomicInteger();

    void reset() {
        delayMillis = 0;
        corruptOffset = -1;
        corruptionsLeft.set(0);
        corrupted.set(0);
    }

    @Override
    public ByteString beforeSend(String sha256, long offset, ByteString data) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (offset == corruptOffset && corruptionsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            byte[] b = data.toByteArray();
            b[b.length / 2] ^= 0x5a;
            corrupted.incrementAndGet();
            return ByteString.copyFrom(b);
        }
        return data;
    }
}
