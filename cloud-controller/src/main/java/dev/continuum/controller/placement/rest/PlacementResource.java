package dev.continuum.controller.placement.rest;

import dev.continuum.controller.agentlink.DesiredStateNotifier;
import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Caller;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.placement.service.PlacementService;
import dev.continuum.controller.placement.service.PlacementViews.DecisionView;
import dev.continuum.controller.placement.service.PlacementViews.PinView;
import dev.continuum.controller.placement.service.PlacementViews.PlacementView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where each model runs on each device (edge or cloud) and why; operator pins. */
@Path("/api/v1/placements")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "placements")
public class PlacementResource {
    @Inject
    PlacementService placements;

    @Inject
    DesiredStateNotifier notifier;

    @Inject
    Caller caller;

    /** Body of the pin request. */
    public record PinRequest(String placement) {
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Current placements by device and model, optionally of one device and/or one model, with "
            + "the numbers and the reason of each decision; paginated with limit and cursor")
    public Page<PlacementView> list(@QueryParam("device") String device, @QueryParam("model") String model,
                                    @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return placements.list(blankToNull(device), blankToNull(model), PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/{deviceId}/{model}")
    @Allowed(Role.VIEWER)
    @Operation(summary = "The current placement of a model on a device")
    public PlacementView get(@PathParam("deviceId") String deviceId, @PathParam("model") String model) {
        return placements.get(deviceId, model);
    }

    @GET
    @Path("/{deviceId}/{model}/history")
    @Allowed(Role.VIEWER)
    @Operation(summary = "The decisions kept for a model on a device, newest first")
    public Map<String, List<DecisionView>> history(@PathParam("deviceId") String deviceId,
                                                   @PathParam("model") String model,
                                                   @QueryParam("limit") Integer limit) {
        return Map.of("items", placements.history(deviceId, model, limit == null ? PageRequest.DEFAULT_LIMIT : limit));
    }

    @PUT
    @Path("/{deviceId}/{model}/pin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Pin a model on a device to 'edge' or 'cloud' whatever the budget; applied at once")
    public PinView pin(@PathParam("deviceId") String deviceId, @PathParam("model") String model, PinRequest body) {
        if (body == null) {
            throw new InvalidInputException("placement", "expected {\"placement\": \"edge\" | \"cloud\"}");
        }
        PlacementService.PinChange c = placements.pin(deviceId, model, body.placement(), caller.name(), Times.now());
        notifier.changed(c.changed());
        return c.view();
    }

    @DELETE
    @Path("/{deviceId}/{model}/pin")
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Remove the pin: the latency budget decides again")
    public PinView unpin(@PathParam("deviceId") String deviceId, @PathParam("model") String model) {
        PlacementService.PinChange c = placements.unpin(deviceId, model, Times.now());
        notifier.changed(c.changed());
        return c.view();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
