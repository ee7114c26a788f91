package dev.continuum.controller.telemetry;

import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.telemetry.TelemetryViews.ModelVersionTelemetry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A model version's telemetry across the fleet. */
@Path("/api/v1/models/{name}/versions/{version}/telemetry")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telemetry")
public class ModelTelemetryResource {
    @Inject
    TelemetryQueries queries;

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Requests, errors, offloaded requests and latency p50/p95/p99 of a model version in "
            + "[since, until) (ISO-8601 instants; default the last hour), by device")
    public ModelVersionTelemetry get(@PathParam("name") String name, @PathParam("version") String version,
                                     @QueryParam("since") String since, @QueryParam("until") String until) {
        TelemetryWindow w = TelemetryWindow.parse(since, until);
        return queries.modelVersion(name, version, w.since(), w.until());
    }
}
