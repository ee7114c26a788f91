package dev.continuum.controller.telemetry;

import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.telemetry.TelemetryViews.DeviceTelemetry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A device's telemetry. */
@Path("/api/v1/devices/{id}/telemetry")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telemetry")
public class DeviceTelemetryResource {
    @Inject
    TelemetryQueries queries;

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Requests, errors, offloaded requests and latency p50/p95/p99 of a device in [since, until) "
            + "(ISO-8601 instants; default the last hour), by model version, with its newest vitals")
    public DeviceTelemetry get(@PathParam("id") String id, @QueryParam("since") String since,
                               @QueryParam("until") String until) {
        TelemetryWindow w = TelemetryWindow.parse(since, until);
        return queries.device(id, w.since(), w.until());
    }
}
