package dev.continuum.controller.telemetry.mosquitto;

import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Configuration files for an external Mosquitto broker (admin). */
@Path("/api/v1/mqtt/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telemetry")
public class MqttConfigResource {
    @Inject
    MqttConfigService service;

    /** Body of {@code POST /api/v1/mqtt/config}; every field optional. */
    public record Request(String controllerUsername, String controllerPassword, String installDir, Integer port) {
    }

    /** The files by name, and the enrolled devices left out because no password hash is stored for them. */
    public record Response(Map<String, String> files, int devices, List<String> devicesWithoutPassword) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(summary = "Generate Mosquitto 'passwd', 'acl' and 'mosquitto.conf' for every enrolled device and the "
            + "controller user (password from the body or continuum.mqtt.password); lists devices enrolled before "
            + "password hashes were kept")
    public Response generate(Request req) {
        Request r = req == null ? new Request(null, null, null, null) : req;
        MqttConfigService.Generated g = service.generate(r.controllerUsername(), r.controllerPassword(), r.installDir(),
                r.port());
        return new Response(Map.of("passwd", g.files().passwd(), "acl", g.files().acl(), "mosquitto.conf",
                g.files().conf()), g.devices(), g.devicesWithoutPassword());
    }
}
