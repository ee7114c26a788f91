package dev.continuum.controller.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.fleet.DeviceViews.CreateDevice;
import dev.continuum.controller.fleet.DeviceViews.DeviceView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The device fleet. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "devices")
public class DeviceResource {
    @Inject
    DeviceService devices;

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "List devices by id, filtered by a label selector such as "
            + "'region=eu,tier in (gold,silver),!decommissioned'; paginated with limit and cursor")
    public Page<DeviceView> list(@QueryParam("selector") String selector, @QueryParam("limit") Integer limit,
                                 @QueryParam("cursor") String cursor) {
        return devices.list(Selector.parse(selector), PageRequest.of(limit, cursor));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Register a device (agents will register themselves through enrolment)")
    public Response create(CreateDevice req) {
        var d = devices.create(req);
        return Response.created(URI.create("/api/v1/devices/" + d.device().id())).entity(d.device())
                .tag(unquote(d.etag())).build();
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    public Response get(@PathParam("id") String id) {
        var d = devices.get(id);
        return Response.ok(d.device()).tag(unquote(d.etag())).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Merge-patch name, labels (null removes a label) and capabilities; honours If-Match")
    public Response patch(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                          JsonNode body) {
        var d = devices.patch(id, ifMatch, body);
        return Response.ok(d.device()).tag(unquote(d.etag())).build();
    }

    @DELETE
    @Path("/{id}")
    @Allowed(Role.OPERATOR)
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        devices.delete(id, ifMatch);
        return Response.noContent().build();
    }

    private static String unquote(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
