package dev.continuum.controller.placement.service;

import dev.continuum.controller.placement.PlacementConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Placement settings under {@code continuum.placement.*}; see docs/controller/placement.md. */
@ConfigMapping(prefix = "continuum.placement")
public interface PlacementSettings {
    /** Fraction of a device's benchmark GFLOP/s a model reaches, for the edge estimate before a measurement. */
    @WithDefault("0.5")
    double edgeEfficiency();

    /** Effective cloud throughput for the compute estimate before the cloud has served the version. */
    @WithDefault("20")
    double cloudGflops();

    /** RTT of a device that has not measured one. */
    @WithDefault("100ms")
    Duration assumedRtt();

    /** Uplink of a device that has not measured one. */
    @WithDefault("1000000")
    long assumedUplinkBytesPerSecond();

    /** How much a change away from the current site must win by (0.2 = 20%). */
    @WithDefault("0.2")
    double hysteresisMargin();

    /** Consecutive evaluations a change must hold before it happens. */
    @WithDefault("3")
    int sustainEvaluations();

    /** And for at least this long. */
    @WithDefault("60s")
    Duration sustainDuration();

    /** The telemetry window the measured edge p95 of a version on a device is taken over. */
    @WithDefault("5m")
    Duration edgeWindow();

    /** How often every placed (device, model) is evaluated again (on the reconciler's loop). */
    @WithDefault("10s")
    Duration evaluateInterval();

    /** Decisions kept per (device, model). */
    @WithDefault("100")
    int historyLimit();

    /** An unchanged decision is added to the history at most this often. */
    @WithDefault("5m")
    Duration historyInterval();

    default PlacementConfig config() {
        return new PlacementConfig(edgeEfficiency(), cloudGflops(), assumedRtt().toNanos() / 1e6,
                assumedUplinkBytesPerSecond(), hysteresisMargin(), sustainEvaluations(), sustainDuration());
    }
}
