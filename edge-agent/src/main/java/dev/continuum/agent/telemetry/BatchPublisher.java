package dev.continuum.agent.telemetry;

import dev.continuum.agent.link.Identity;
import dev.continuum.proto.v1.OutboxStats;
import dev.continuum.proto.v1.TelemetryBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every interval, turns what the {@link RequestRecorder} and {@link Vitals} saw into one
 * {@link TelemetryBatch} and appends it to the {@link Outbox}, which gives it its sequence number; a
 * batch is built even when no request was served (it carries the vitals). Until the device has
 * enrolled there is no device id to publish under: requests keep accumulating and the first batch
 * after enrolment covers the whole time since the last one. The interval is read again after every
 * batch, so a new one from the controller applies from the next batch on.
 */
final class BatchPublisher {
    private static final Logger LOG = Logger.getLogger(BatchPublisher.class.getName());

    private final Outbox outbox;
    private final RequestRecorder recorder;
    private final Vitals vitals;
    private final Supplier<Identity> identity;
    private final Supplier<Duration> interval;
    private final LongSupplier clockMillis;
    private final Runnable appended;
    private volatile ScheduledThreadPoolExecutor timer;
    private long windowStartMillis;
    private boolean waitingLogged;

    /** {@code appended} is told after every batch stored (the sender's wake-up). */
    BatchPublisher(Outbox outbox, RequestRecorder recorder, Vitals vitals, Supplier<Identity> identity,
                   Supplier<Duration> interval, LongSupplier clockMillis, Runnable appended) {
        this.outbox = outbox;
        this.recorder = recorder;
        this.vitals = vitals;
        this.identity = identity;
        this.interval = interval;
        this.clockMillis = clockMillis;
        this.appended = appended;
    }

    /** Starts the timer; the first batch covers the time since {@code windowStartMillis}. */
    synchronized void start(long windowStartMillis) {
        this.windowStartMillis = windowStartMillis;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "agent-telemetry-batches");
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer = t;
        schedule();
    }

    private void schedule() {
        try {
            ScheduledThreadPoolExecutor t = timer;
            if (t == null) {
                return;
            }
            t.schedule(() -> {
                try {
                    publish();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "telemetry: building a batch failed", e);
                }
                schedule();
            }, interval.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stop() shut the timer down
        }
    }

    /**
     * Stops the timer and stores a last batch for the time since the previous one. The timer thread
     * is not interrupted: an interrupt during a write would close the outbox's files.
     */
    void stop() {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t == null) {
            return;
        }
        t.shutdown();
        try {
            t.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publish();
    }

    /** Builds and stores one batch for the time since the last one. */
    synchronized void publish() {
        Identity id = identity.get();
        if (id == null) {
            if (!waitingLogged) {
                waitingLogged = true;
                LOG.info("telemetry: waiting for enrolment (no device id yet); requests are counted meanwhile");
            }
            return;
        }
        long end = clockMillis.getAsLong();
        Outbox.Stats before = outbox.stats();
        TelemetryBatch.Builder b = TelemetryBatch.newBuilder().setDeviceId(id.deviceId())
                .setWindowStartMillis(windowStartMillis).setWindowEndMillis(end)
                .addAllModels(recorder.drain()).setVitals(vitals.sample())
                .setOutbox(OutboxStats.newBuilder().setDroppedBatchesTotal(before.droppedTotal())
                        .setBacklogBatches(before.backlog()));
        try {
            outbox.append(seq -> b.setSequence(seq).build().toByteArray());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "telemetry: cannot store the batch for " + (end - windowStartMillis)
                    + " ms of requests (" + b.getModelsCount() + " models); it is lost", e);
        }
        windowStartMillis = end;
        appended.run();
    }
}
