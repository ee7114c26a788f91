package dev.continuum.agent.offload;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Counts requests that ran on the device because the controller was unreachable and logs them at
 * most once every {@value #INTERVAL_MILLIS} ms, so an outage under load writes a line per interval
 * rather than one per request.
 */
final class FallbackLog {
    private static final Logger LOG = Logger.getLogger(Offloader.class.getName());
    static final long INTERVAL_MILLIS = 30_000;

    private final AtomicLong total = new AtomicLong();
    private long sinceLastLine;
    private long lastLineMillis = Long.MIN_VALUE;

    void fellBack(CloudTarget t, URI controller, String reason) {
        long all = total.incrementAndGet();
        long now = System.currentTimeMillis();
        long count;
        synchronized (this) {
            sinceLastLine++;
            if (lastLineMillis != Long.MIN_VALUE && now - lastLineMillis < INTERVAL_MILLIS) {
                return;
            }
            lastLineMillis = now;
            count = sinceLastLine;
            sinceLastLine = 0;
        }
        LOG.warning(() -> "offload: the controller at " + controller + " is unreachable (" + reason + "); running "
                + t.describe() + " on the device (" + count + " request(s) since the last report, " + all
                + " in all)");
    }

    long total() {
        return total.get();
    }
}
