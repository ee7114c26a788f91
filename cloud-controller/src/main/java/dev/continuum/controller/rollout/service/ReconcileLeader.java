package dev.continuum.controller.rollout.service;

import dev.continuum.controller.config.ContinuumConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Decides which replica reconciles. On PostgreSQL the leader is the replica holding the advisory lock
 * {@code continuum.rollout.leader-lock-key}, taken with {@code pg_try_advisory_lock} on a connection of its
 * own that it keeps while it leads: when the replica dies, its session ends and PostgreSQL releases the lock
 * for another replica to take at its next attempt. The embedded datastore has one process, which leads.
 */
@ApplicationScoped
public class ReconcileLeader {
    private static final Logger LOG = Logger.getLogger(ReconcileLeader.class);

    @Inject
    ContinuumConfig config;

    @Inject
    RolloutSettings settings;

    @Inject
    @DataSource("postgresql")
    InjectableInstance<AgroalDataSource> postgresql;

    private Connection held;

    /** Whether this replica leads now; tries to become the leader when it does not. */
    public synchronized boolean lead() {
        if (config.datastore() != ContinuumConfig.Datastore.POSTGRESQL) {
            return true;
        }
        if (held != null) {
            if (alive(held)) {
                return true;
            }
            LOG.warn("lost the connection holding the reconciler lock; no longer leading");
            close();
        }
        Connection c = null;
        try {
            c = postgresql.get().getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, settings.leaderLockKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        held = c;
                        LOG.infof("this replica now leads the rollout reconciler (advisory lock %d)",
                                settings.leaderLockKey());
                        return true;
                    }
                }
            }
            c.close();
            return false;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot try the reconciler lock: %s", e.toString());
            quietly(c);
            return false;
        }
    }

    /** Gives up leadership (at shutdown, or to hand over). */
    public synchronized void release() {
        if (held == null) {
            return;
        }
        try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, settings.leaderLockKey());
            ps.execute();
        } catch (SQLException e) {
            LOG.debugf("cannot release the reconciler lock (the session end releases it): %s", e.toString());
        }
        close();
        LOG.info("this replica no longer leads the rollout reconciler");
    }

    private static boolean alive(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
            ps.execute();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void close() {
        quietly(held);
        held = null;
    }

    private static void quietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }
}
