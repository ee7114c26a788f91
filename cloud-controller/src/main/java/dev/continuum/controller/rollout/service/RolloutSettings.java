package dev.continuum.controller.rollout.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Rollout settings under {@code continuum.rollout.*}; see docs/controller/rollouts.md. */
@ConfigMapping(prefix = "continuum.rollout")
public interface RolloutSettings {
    /** How often the reconciler steps every running rollout (and re-evaluates placement when that is due). */
    @WithDefault("2s")
    Duration reconcileInterval();

    /**
     * A device counts as online while its telemetry link says so, or while the controller heard from its
     * agent (sync stream: hello, actual state, heartbeat) within this window.
     */
    @WithDefault("60s")
    Duration onlineWindow();

    /** The PostgreSQL advisory lock key whose holder is the one replica that reconciles. */
    @WithDefault("7431205871")
    long leaderLockKey();
}
