package dev.continuum.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.rollout.service.ReconcileLeader;
import dev.continuum.controller.rollout.service.RolloutSettings;
import dev.continuum.controller.support.PostgresCondition;
import dev.continuum.controller.support.PostgresProfile;
import dev.continuum.controller.support.RequiresPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One replica reconciles: the one holding the PostgreSQL advisory lock. The other replica is a plain connection. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@RequiresPostgres
class ReconcileLeaderPostgresTest {
    @Inject
    ReconcileLeader leader;

    @Inject
    RolloutSettings settings;

    @Test
    void onlyTheHolderOfTheAdvisoryLockLeadsAndLeadershipPassesWhenItIsReleased() throws SQLException {
        await().atMost(Duration.ofSeconds(10)).until(leader::lead);
        try (Connection other = DriverManager.getConnection(PostgresCondition.JDBC_URL, "postgres", "")) {
            assertThat(call(other, "pg_try_advisory_lock")).as("another replica cannot lead while this one does")
                    .isFalse();

            // this replica steps down (the loop may take the lock back between two attempts: retry)
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                leader.release();
                return call(other, "pg_try_advisory_lock");
            });
            assertThat(leader.lead()).as("the other replica leads now").isFalse();

            assertThat(call(other, "pg_advisory_unlock")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(leader::lead);
            assertThat(call(other, "pg_try_advisory_lock")).isFalse();
        }
    }

    private boolean call(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, settings.leaderLockKey());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
