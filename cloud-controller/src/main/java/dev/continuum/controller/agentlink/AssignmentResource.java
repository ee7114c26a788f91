package dev.continuum.controller.agentlink;

import dev.continuum.controller.agentlink.AssignmentService.AssignRequest;
import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Caller;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.fleet.DeviceService;
import dev.continuum.proto.v1.DesiredState;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator assignments of model versions to devices, and each device's resulting desired state. */
@Path("/api/v1/assignments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "assignments")
public class AssignmentResource {
    @Inject
    AssignmentService assignments;

    @Inject
    DesiredStateService desired;

    @Inject
    DesiredStateNotifier notifier;

    @Inject
    DeviceService devices;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Assign a model version (or the version an alias names) to the devices a selector matches now; "
            + "placement 'edge' (default) or 'cloud'")
    public Response assign(AssignRequest req) {
        AssignmentService.Assigned a = assignments.assign(req, caller.name());
        notifier.changed(a.devices().stream().map(AssignmentService.Target::deviceId).toList());
        return Response.status(Response.Status.CREATED).entity(a).build();
    }

    @DELETE
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Stop running a model on the devices a selector matches")
    public AssignmentService.Unassigned unassign(@QueryParam("model") String model, @QueryParam("selector") String selector) {
        AssignmentService.Unassigned u = assignments.unassign(model, selector);
        notifier.changed(u.devices().stream().map(AssignmentService.Target::deviceId).toList());
        return u;
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "The desired state of one device: its assigned models and revision")
    public Map<String, Object> desiredState(@QueryParam("device") String deviceId) {
        devices.get(Names.id("device", deviceId)); // 404 for unknown devices
        DesiredState s = desired.desiredState(deviceId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deviceId", s.getDeviceId());
        out.put("revision", s.getRevision());
        out.put("models", s.getModelsList().stream().map(m -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("model", m.getModel());
            v.put("version", m.getVersion());
            v.put("sha256", m.getSha256());
            v.put("sizeBytes", m.getSizeBytes());
            v.put("placement", m.getPlacement().name().toLowerCase(Locale.ROOT));
            v.put("config", m.getConfigMap());
            return v;
        }).toList());
        return out;
    }
}
