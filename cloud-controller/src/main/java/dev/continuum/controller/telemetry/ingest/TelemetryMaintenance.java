package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.common.Times;
import dev.continuum.controller.telemetry.TelemetryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Scheduled upkeep: deletes telemetry past its retention every {@code retention-check-interval}
 * (every replica does; the deletes are idempotent), and refreshes the online-devices gauge.
 */
@ApplicationScoped
public class TelemetryMaintenance {
    private static final Logger LOG = Logger.getLogger(TelemetryMaintenance.class);

    @Inject
    TelemetryConfig config;

    @Inject
    TelemetryStore store;

    @Inject
    IngestMetrics metrics;

    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent e) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telemetry-maintenance");
            t.setDaemon(true);
            return t;
        });
        long every = config.retentionCheckInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::deleteExpired, Math.min(every, 60_000), every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshOnline, 0, 15, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent e) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Runs the retention job now; the number of rows deleted. */
    public long deleteExpired() {
        try {
            long n = store.deleteExpired(Times.now());
            if (n > 0) {
                LOG.infof("telemetry retention deleted %d rows", n);
            }
            return n;
        } catch (RuntimeException ex) {
            LOG.warnf("telemetry retention failed: %s; trying again in %s", ex.toString(), config.retentionCheckInterval());
            return 0;
        }
    }

    private void refreshOnline() {
        try {
            metrics.online(store.countOnline());
        } catch (RuntimeException ex) {
            LOG.debugf("cannot count online devices: %s", ex.toString());
        }
    }
}
