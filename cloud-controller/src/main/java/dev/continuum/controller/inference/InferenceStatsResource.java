package dev.continuum.controller.inference;

import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.inference.InferenceStats.VersionLatency;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cloud inference figures of this controller replica: limits, model cache, per-version latency percentiles. */
@Path("/api/v1/inference/stats")
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Role.VIEWER)
@Tag(name = "inference")
public class InferenceStatsResource {
    @Inject
    CloudInference inference;

    @Inject
    InferenceStats stats;

    @Inject
    InferenceConfig config;

    /** Latencies (microseconds) cover the last {@code windowSeconds}; counts are since the replica started. */
    public record StatsView(long windowSeconds, CloudInference.State limits, List<VersionLatency> versions) {
    }

    @GET
    @Operation(summary = "Cloud inference limits, model cache and per model version compute and queueing p50/p95/p99")
    public StatsView get(@QueryParam("model") String model, @QueryParam("version") String version) {
        List<VersionLatency> versions = stats.all().stream()
                .filter(v -> model == null || v.model().equals(model))
                .filter(v -> version == null || v.version().equals(version)).toList();
        return new StatsView(config.stats().window().toSeconds(), inference.state(), versions);
    }
}
