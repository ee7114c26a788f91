package dev.continuum.agent.profile;

import dev.continuum.engine.Session;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one model's inference latency on this device right after install, on zero-filled inputs of
 * the declared shapes (a dynamic dimension counts as 1): a {@link SessionTimer} warm-up first, which also makes the
 * model serve at its steady speed from its first request, then up to {@code maxRuns} timed runs within
 * about {@code budgetMillis}.
 */
public final class LatencyProbe {
    /** Latency percentiles of one inference. */
    public record Latency(long p50Micros, long p95Micros, int runs) {
    }

    private LatencyProbe() {
    }

    public static Latency measure(Session session, List<TensorInfo> inputs, int maxRuns, long budgetMillis) {
        return measure(session, inputs, maxRuns, budgetMillis, Slowdown.NONE);
    }

    /**
     * As {@link #measure(Session, List, int, long)} on a device {@code slowdown} times slower: the runs
     * are timed at full speed and the percentiles multiplied by the factor (what the slowed inference
     * path would take, without spending that time at install).
     */
    public static Latency measure(Session session, List<TensorInfo> inputs, int maxRuns, long budgetMillis,
                                  Slowdown slowdown) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (TensorInfo i : inputs) {
            int[] shape = i.shape().clone();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = 1;
                }
            }
            in.put(i.name(), Tensor.zeros(i.dataType(), shape));
        }
        long[] nanos = SessionTimer.warmAndTime(session, in, maxRuns, budgetMillis);
        return new Latency(slowdown.scaleMicros(percentile(nanos, 50) / 1000),
                slowdown.scaleMicros(percentile(nanos, 95) / 1000), nanos.length);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
