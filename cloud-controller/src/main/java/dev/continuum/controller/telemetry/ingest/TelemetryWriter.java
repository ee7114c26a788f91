package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.common.Times;
import dev.continuum.controller.telemetry.TelemetryConfig;
import dev.continuum.controller.telemetry.Topics;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one writer thread of a replica. Takes accepted messages off a bounded queue, writes up to
 * {@code write-batch-size} of them in one transaction (waiting at most {@code write-linger} for the
 * batch to fill), and only then acknowledges them to the broker, so a crash before the commit leaves
 * them with the broker for redelivery. A transaction that fails for a passing reason (lost
 * connection, deadlock, serialization failure) is retried with back-off; any other failure is retried
 * message by message, and a message that fails alone is counted {@code failed} and dropped.
 */
final class TelemetryWriter implements Runnable {
    private static final Logger LOG = Logger.getLogger(TelemetryWriter.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final BlockingQueue<Inbound> queue;
    private final TelemetryStore store;
    private final IngestMetrics metrics;
    private final int batchSize;
    private final long lingerNanos;
    private volatile boolean running = true;
    private Thread thread;

    TelemetryWriter(TelemetryConfig config, TelemetryStore store, IngestMetrics metrics) {
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.store = store;
        this.metrics = metrics;
        this.batchSize = config.writeBatchSize();
        this.lingerNanos = config.writeLinger().toNanos();
        metrics.queue(queue);
    }

    void start() {
        thread = new Thread(this, "telemetry-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the batch in hand; what is still queued stays unacknowledged with the broker. */
    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues a message, waiting while the queue is full (which holds back the MQTT client); false when stopping. */
    boolean offer(Inbound m) throws InterruptedException {
        while (running) {
            if (queue.offer(m, 1, TimeUnit.SECONDS)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                List<Inbound> batch = take();
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "telemetry writer failed; continuing");
            }
        }
    }

    private List<Inbound> take() throws InterruptedException {
        List<Inbound> batch = new ArrayList<>();
        Inbound first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < batchSize) {
            if (queue.drainTo(batch, batchSize - batch.size()) > 0) {
                continue;
            }
            long left = deadline - System.nanoTime();
            Inbound next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    private void write(List<Inbound> batch) throws InterruptedException {
        long backoff = 500;
        while (running) {
            long start = System.nanoTime();
            try {
                List<IngestResult> results = store.write(batch, Times.now());
                metrics.written(batch.size(), Duration.ofNanos(System.nanoTime() - start));
                done(batch, results);
                return;
            } catch (RuntimeException e) {
                if (isTransient(e)) {
                    LOG.warnf("cannot write %d telemetry messages (%s); retrying in %.1f s", batch.size(),
                            rootMessage(e), backoff / 1000.0);
                    Thread.sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                } else if (batch.size() > 1) {
                    LOG.warnf("cannot write %d telemetry messages together (%s); writing them one by one",
                            batch.size(), rootMessage(e));
                    for (Inbound m : batch) {
                        write(List.of(m));
                    }
                    return;
                } else {
                    Inbound m = batch.get(0);
                    LOG.errorf("dropped a %s message of device %s: the database refused it: %s", m.kind().suffix(),
                            m.deviceId(), rootMessage(e));
                    metrics.message(m.kind(), IngestResult.FAILED);
                    m.ack().run();
                    return;
                }
            }
        }
    }

    private void done(List<Inbound> batch, List<IngestResult> results) {
        boolean statusChanged = false;
        for (int i = 0; i < batch.size(); i++) {
            Inbound m = batch.get(i);
            IngestResult r = results.get(i);
            m.ack().run();
            metrics.message(m.kind(), r);
            switch (r) {
                case ACCEPTED -> {
                    if (m.kind() == Topics.Kind.STATUS) {
                        statusChanged = true;
                    } else {
                        m.models().forEach(row -> metrics.modelTraffic(row.model(), row.version(), row.requests(),
                                row.errors()));
                    }
                }
                case UNKNOWN_DEVICE -> LOG.warnf("dropped a %s message: device '%s' is not known to this controller",
                        m.kind().suffix(), m.deviceId());
                case EXPIRED -> LOG.warnf("dropped telemetry batch %d of device %s: its window ended before the "
                        + "rollup retention", m.batch().getSequence(), m.deviceId());
                default -> { }
            }
        }
        if (statusChanged) {
            metrics.online(store.countOnline());
        }
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 08: connection, 40: rollback (deadlock, serialization), 57P0x: server shutting down, HYT00: H2 lock timeout
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P0") || state.equals("HYT00")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
