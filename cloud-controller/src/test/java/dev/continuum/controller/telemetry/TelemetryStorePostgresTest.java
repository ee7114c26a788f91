package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.support.RequiresPostgres;
import dev.continuum.controller.telemetry.ingest.IngestProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(TelemetryPostgresProfile.class)
@RequiresPostgres
class TelemetryStorePostgresTest extends TelemetryStoreContract {
    /**
     * The schema is new for each run and never analyzed (CI's PostgreSQL runs without autovacuum), so
     * the planner has no statistics: with an index on (minute_start) alone it took that one for the
     * writer's update and filtered every device's row of the minute.
     */
    @Test
    void aRollupUpdateFindsItsRowByTheWholeKeyWithoutStatistics() {
        Instant minute = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MINUTES);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            devices.add(device("store-plan-" + i));
        }
        for (int i = 0; i < devices.size(); i++) {
            IngestProbe.write(store, Instant.now(), List.of(batch(devices.get(i), 1, minute.plusSeconds(i), 1)));
        }
        String plan = rows.explain(IngestProbe.rollupUpdate(), 2L, 0L, new byte[0], devices.get(3),
                OffsetDateTime.ofInstant(minute, ZoneOffset.UTC), "det", "1", "EDGE");
        assertThat(plan).contains("Index Cond").doesNotContain("Seq Scan").doesNotContain("Filter:");
        assertThat(plan.substring(plan.indexOf("Index Cond")))
                .contains("device_id", "minute_start", "model_name", "version", "placement");
    }
}
