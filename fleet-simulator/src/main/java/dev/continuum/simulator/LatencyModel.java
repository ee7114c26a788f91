package dev.continuum.simulator;

import java.util.random.RandomGenerator;

/**
 * The latency of a simulated inference, in microseconds, without running the engine:
 * <ul>
 *   <li>on the edge, the model's FLOPs over the device's GFLOP/s (the simulator's reference
 *       throughput divided by the device's slowdown), or a fixed base latency times the slowdown
 *       when the FLOPs are unknown;</li>
 *   <li>in the cloud, the device's extra round trip plus the FLOPs over the cloud's GFLOP/s;</li>
 * </ul>
 * each times a noise factor {@code 1 + noise·|N(0,1)|}, so percentiles spread like real ones.
 */
public record LatencyModel(double referenceGflops, double cloudGflops, long baseMicros, double noise) {
    public LatencyModel {
        if (!(referenceGflops > 0) || !(cloudGflops > 0) || baseMicros < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("latency model: GFLOP/s must be positive, base latency at least 1 µs "
                    + "and noise not negative; got " + referenceGflops + ", " + cloudGflops + ", " + baseMicros + ", " + noise);
        }
    }

    /** The GFLOP/s a device {@code slowdown} times slower than the reference has. */
    public double deviceGflops(double slowdown) {
        return referenceGflops / slowdown;
    }

    /** The noiseless edge latency of a model of {@code flops} (0: unknown) on a device {@code slowdown} times slower. */
    public long edgeMicros(long flops, double slowdown) {
        return flops > 0 ? Math.max(1, Math.round(flops / (deviceGflops(slowdown) * 1e3))) : Math.round(baseMicros * slowdown);
    }

    public long cloudMicros(long flops, long rttMicros) {
        return rttMicros + (flops > 0 ? Math.max(1, Math.round(flops / (cloudGflops * 1e3))) : baseMicros);
    }

    public long withNoise(long micros, RandomGenerator random) {
        return Math.max(1, Math.round(micros * (1 + noise * Math.abs(random.nextGaussian()))));
    }
}
