package dev.continuum.controller.placement;

import java.time.Duration;

/**
 * The knobs of placement. {@link #defaults()} holds the documented defaults.
 *
 * @param edgeEfficiency              fraction of the device's benchmark GFLOP/s a model achieves, for the edge
 *                                    estimate before a measurement exists (0 &lt; e ≤ 1)
 * @param cloudGflops                 effective cloud throughput, GFLOP/s, for the cloud compute estimate before
 *                                    the controller has served the version
 * @param assumedRttMillis            RTT assumed for a device that has not measured one yet
 * @param assumedUplinkBytesPerSecond uplink assumed for a device that has not measured one yet
 * @param hysteresisMargin            how much a change away from the current site must win by (0.2 = 20%)
 * @param sustainEvaluations          consecutive evaluations a change must hold before it happens (≥ 1)
 * @param sustainDuration             and for at least this long (zero: evaluations alone decide)
 */
public record PlacementConfig(double edgeEfficiency, double cloudGflops, double assumedRttMillis,
                              long assumedUplinkBytesPerSecond, double hysteresisMargin, int sustainEvaluations,
                              Duration sustainDuration) {
    public PlacementConfig {
        if (!(edgeEfficiency > 0 && edgeEfficiency <= 1)) {
            throw new IllegalArgumentException("edgeEfficiency must be in (0, 1], got " + edgeEfficiency);
        }
        if (!(cloudGflops > 0) || Double.isInfinite(cloudGflops)) {
            throw new IllegalArgumentException("cloudGflops must be positive, got " + cloudGflops);
        }
        if (!(assumedRttMillis >= 0) || Double.isInfinite(assumedRttMillis)) {
            throw new IllegalArgumentException("assumedRttMillis must not be negative, got " + assumedRttMillis);
        }
        if (assumedUplinkBytesPerSecond <= 0) {
            throw new IllegalArgumentException("assumedUplinkBytesPerSecond must be positive, got "
                    + assumedUplinkBytesPerSecond);
        }
        if (!(hysteresisMargin >= 0 && hysteresisMargin < 1)) {
            throw new IllegalArgumentException("hysteresisMargin must be in [0, 1), got " + hysteresisMargin);
        }
        if (sustainEvaluations < 1) {
            throw new IllegalArgumentException("sustainEvaluations must be at least 1, got " + sustainEvaluations);
        }
        if (sustainDuration == null || sustainDuration.isNegative()) {
            throw new IllegalArgumentException("sustainDuration must be zero or positive, got " + sustainDuration);
        }
    }

    /** Efficiency 0.5, cloud 20 GFLOP/s, RTT 100 ms, uplink 1 MB/s, margin 20%, 3 evaluations over 60 s. */
    public static PlacementConfig defaults() {
        return new PlacementConfig(0.5, 20.0, 100.0, 1_000_000L, 0.2, 3, Duration.ofSeconds(60));
    }

    public PlacementConfig withHysteresis(double margin, int evaluations, Duration duration) {
        return new PlacementConfig(edgeEfficiency, cloudGflops, assumedRttMillis, assumedUplinkBytesPerSecond,
                margin, evaluations, duration);
    }
}
