package dev.continuum.controller.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class TelemetryWriterTest {
    @Test
    void lostConnectionsDeadlocksAndLockTimeoutsAreRetriedOtherFailuresAreNot() {
        assertThat(TelemetryWriter.isTransient(new RuntimeException(new SQLException("gone", "08006")))).isTrue();
        assertThat(TelemetryWriter.isTransient(new RuntimeException(new SQLException("deadlock", "40P01")))).isTrue();
        assertThat(TelemetryWriter.isTransient(new SQLException("timeout", "HYT00"))).isTrue();
        assertThat(TelemetryWriter.isTransient(new SQLTransientConnectionException("pool exhausted"))).isTrue();
        assertThat(TelemetryWriter.isTransient(new RuntimeException(new SQLException("too long", "22001")))).isFalse();
        assertThat(TelemetryWriter.isTransient(new IllegalStateException("bug"))).isFalse();
    }
}
