package dev.continuum.controller.inference;

import dev.continuum.controller.inference.LatencyWindow.Percentiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * What cloud inference measured per model version on this controller replica: compute time (the
 * engine's run), queueing (waiting for a compute thread) and their sum per request, as sliding-window
 * percentiles, plus request counts by outcome. Placement reads {@link #latency} for "cloud compute
 * p95 + queueing"; the same figures are exported to Prometheus.
 */
@ApplicationScoped
public class InferenceStats {
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    private final ConcurrentHashMap<Key, VersionStats> versions = new ConcurrentHashMap<>();

    @Inject
    InferenceConfig config;

    @Inject
    MeterRegistry meters;

    private record Key(String model, String version) {
    }

    /** One model version's figures over the stats window (latencies) and since start (counts). */
    public record VersionLatency(String model, String version, Percentiles compute, Percentiles queue,
                                 Percentiles total, long succeeded, long badInput, long rejected, long failed) {
    }

    /** How a request ended, for the counts. */
    enum Outcome {
        OK, BAD_INPUT, REJECTED, FAILED;

        static Outcome ofStatus(int status) {
            return switch (status) {
                case 400, 413 -> BAD_INPUT;
                case 503 -> REJECTED;
                default -> FAILED;
            };
        }
    }

    private final class VersionStats {
        final LatencyWindow compute = window();
        final LatencyWindow queue = window();
        final LatencyWindow total = window();
        final Counter[] outcomes = new Counter[Outcome.values().length];

        VersionStats(Key k) {
            Tags tags = Tags.of("model", k.model(), "version", k.version());
            for (Outcome o : Outcome.values()) {
                outcomes[o.ordinal()] = meters.counter("continuum.inference.requests",
                        tags.and("outcome", o.name().toLowerCase()));
            }
            for (double q : QUANTILES) {
                Tags qt = tags.and("quantile", String.valueOf(q));
                gauge("continuum.inference.compute.latency", qt, s -> s.compute.snapshot().quantileMicros(q) / 1e6);
                gauge("continuum.inference.queue.latency", qt, s -> s.queue.snapshot().quantileMicros(q) / 1e6);
                gauge("continuum.inference.total.latency", qt, s -> s.total.snapshot().quantileMicros(q) / 1e6);
            }
        }

        private void gauge(String name, Tags tags, ToDoubleFunction<VersionStats> value) {
            Gauge.builder(name, this, value).tags(tags).baseUnit("seconds")
                    .description("cloud inference latency over the last continuum.inference.stats.window")
                    .register(meters);
        }

        long count(Outcome o) {
            return (long) outcomes[o.ordinal()].count();
        }

        VersionLatency view(Key k) {
            return new VersionLatency(k.model(), k.version(), compute.percentiles(), queue.percentiles(),
                    total.percentiles(), count(Outcome.OK), count(Outcome.BAD_INPUT), count(Outcome.REJECTED),
                    count(Outcome.FAILED));
        }
    }

    private LatencyWindow window() {
        return new LatencyWindow(config.stats().window(), config.stats().slices(), System::nanoTime);
    }

    private VersionStats of(String model, String version) {
        return versions.computeIfAbsent(new Key(model, version), VersionStats::new);
    }

    /** A request that ran: its wait for a compute thread and its run time. */
    void succeeded(String model, String version, long queueMicros, long computeMicros) {
        VersionStats s = of(model, version);
        s.queue.record(queueMicros);
        s.compute.record(computeMicros);
        s.total.record(queueMicros + computeMicros);
        s.outcomes[Outcome.OK.ordinal()].increment();
    }

    /** A request for a known version that was refused or failed with this HTTP status. */
    void ended(String model, String version, int status) {
        of(model, version).outcomes[Outcome.ofStatus(status).ordinal()].increment();
    }

    /** The figures of one model version, if it was asked for since the controller started. */
    public Optional<VersionLatency> latency(String model, String version) {
        Key k = new Key(model, version);
        VersionStats s = versions.get(k);
        return s == null ? Optional.empty() : Optional.of(s.view(k));
    }

    /** Every model version asked for since start, by model and version. */
    public List<VersionLatency> all() {
        return versions.entrySet().stream().map(e -> e.getValue().view(e.getKey()))
                .sorted(Comparator.comparing(VersionLatency::model).thenComparing(VersionLatency::version)).toList();
    }
}
