package dev.continuum.agent.telemetry;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the inference requests the agent serves, per (model, version, placement): requests,
 * errors, and a {@link MergeableHistogram} of end-to-end latency. {@link #drain} hands over what was
 * recorded since the last drain and starts afresh, so every request is in exactly one drain.
 *
 * <p>Thread-safe and cheap: each (model, version, placement) has its own cell with its own lock, so
 * requests to different models never contend; a drain locks one cell at a time. A cell that saw no
 * request during a whole interval is retired (a recorder that still holds it takes a fresh one), so
 * versions no longer served do not accumulate.
 */
public final class RequestRecorder {
    /** What a request is counted under. */
    public record Key(String model, String version, Placement placement) {
        public Key {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(placement, "placement");
        }
    }

    private static final class Cell {
        final MergeableHistogram latency = new MergeableHistogram();
        long requests;
        long errors;
        boolean retired;
    }

    private final Map<Key, Cell> cells = new ConcurrentHashMap<>();

    /** A request run in the local engine. */
    public void recordEdge(String model, String version, long latencyMicros, boolean error) {
        record(new Key(model, version, Placement.EDGE), latencyMicros, error);
    }

    /** A request forwarded to the controller (offloaded). */
    public void recordCloud(String model, String version, long latencyMicros, boolean error) {
        record(new Key(model, version, Placement.CLOUD), latencyMicros, error);
    }

    public void record(Key key, long latencyMicros, boolean error) {
        while (true) {
            Cell c = cells.computeIfAbsent(key, k -> new Cell());
            synchronized (c) {
                if (!c.retired) {
                    c.latency.record(latencyMicros);
                    c.requests++;
                    if (error) {
                        c.errors++;
                    }
                    return;
                }
            }
            // retired by a drain between the lookup and the lock: the map holds no cell for it now
        }
    }

    /** Everything recorded since the last drain, ordered by model, version and placement; empty when idle. */
    public List<ModelTelemetry> drain() {
        List<ModelTelemetry> out = new ArrayList<>();
        for (Map.Entry<Key, Cell> e : cells.entrySet()) {
            Cell c = e.getValue();
            synchronized (c) {
                if (c.requests == 0) {
                    c.retired = true;
                    cells.remove(e.getKey(), c);
                    continue;
                }
                Key k = e.getKey();
                out.add(ModelTelemetry.newBuilder().setModel(k.model()).setVersion(k.version())
                        .setPlacement(k.placement()).setRequests(c.requests).setErrors(c.errors)
                        .setLatency(c.latency.toProto()).build());
                c.latency.clear();
                c.requests = 0;
                c.errors = 0;
            }
        }
        out.sort(Comparator.comparing(ModelTelemetry::getModel).thenComparing(ModelTelemetry::getVersion)
                .thenComparing(ModelTelemetry::getPlacementValue));
        return out;
    }
}
