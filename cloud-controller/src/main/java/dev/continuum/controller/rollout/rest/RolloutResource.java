package dev.continuum.controller.rollout.rest;

import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Caller;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.rollout.RolloutState;
import dev.continuum.controller.rollout.persistence.StoredRollout;
import dev.continuum.controller.rollout.service.RolloutLoop;
import dev.continuum.controller.rollout.service.RolloutService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Rollouts of model versions to the devices a selector matches, wave by wave behind health gates. */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts")
public class RolloutResource {
    @Inject
    RolloutService rollouts;

    @Inject
    RolloutLoop loop;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Start a rollout of a model version (or the version an alias names now) to the devices a "
            + "selector matches, under a latency budget; 409 when an active rollout of the model may reach the same "
            + "devices")
    public Response create(RolloutRequest req) {
        if (req == null) {
            throw new InvalidInputException("body", "expected {\"model\", \"version\" or \"alias\", \"selector\", "
                    + "\"budgetMillis\"}");
        }
        StoredRollout s = rollouts.create(req.spec(), caller.name());
        loop.wake();
        return Response.created(URI.create("/api/v1/rollouts/" + s.rollout().id())).entity(RolloutView.of(s, true))
                .build();
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Rollouts, newest first, optionally of one model and in one state; paginated with limit and "
            + "cursor")
    public Page<RolloutView> list(@QueryParam("model") String model, @QueryParam("state") String state,
                                  @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Page<StoredRollout> page = rollouts.list(model == null || model.isBlank() ? null : model, state(state),
                PageRequest.of(limit, cursor));
        return new Page<>(page.items().stream().map(s -> RolloutView.of(s, false)).toList(), page.nextCursor());
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    @Operation(summary = "A rollout: state and reason, per-wave progress, and every device it planned")
    public RolloutView get(@PathParam("id") String id) {
        return RolloutView.of(rollouts.get(id), true);
    }

    @POST
    @Path("/{id}/pause")
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Pause a RUNNING rollout: nothing changes until it is resumed")
    public RolloutView pause(@PathParam("id") String id) {
        return command(id, rollouts::pause);
    }

    @POST
    @Path("/{id}/resume")
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Resume a PAUSED rollout")
    public RolloutView resume(@PathParam("id") String id) {
        return command(id, rollouts::resume);
    }

    @POST
    @Path("/{id}/abort")
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Stop a RUNNING or PAUSED rollout; devices keep what they have")
    public RolloutView abort(@PathParam("id") String id) {
        return command(id, rollouts::abort);
    }

    @POST
    @Path("/{id}/rollback")
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Put every device the rollout touched back on the version it had before (any state but "
            + "ROLLED_BACK)")
    public RolloutView rollback(@PathParam("id") String id) {
        return command(id, rollouts::rollBack);
    }

    private RolloutView command(String id, BiFunction<String, String, StoredRollout> c) {
        StoredRollout s = c.apply(id, caller.name());
        loop.wake();
        return RolloutView.of(s, true);
    }

    private static RolloutState state(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return RolloutState.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("state", "state '" + s + "' is not one of "
                    + Arrays.toString(RolloutState.values()));
        }
    }
}
