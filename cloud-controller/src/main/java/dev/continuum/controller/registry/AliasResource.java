package dev.continuum.controller.registry;

import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Caller;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.registry.Views.AliasView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Aliases: movable names pointing at versions of one model. */
@Path("/api/v1/models/{name}/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
public class AliasResource {
    @Inject
    RegistryService registry;

    @Inject
    Caller caller;

    public record SetAlias(String version) {
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "All aliases of a model (one page: a model has few)")
    public Page<AliasView> list(@PathParam("name") String name) {
        return new Page<>(registry.listAliases(name), null);
    }

    @GET
    @Path("/{alias}")
    @Allowed(Role.VIEWER)
    public Response get(@PathParam("name") String name, @PathParam("alias") String alias) {
        var a = registry.getAlias(name, alias);
        return Response.ok(a.value()).tag(unquote(a.etag())).build();
    }

    @PUT
    @Path("/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Point an alias at a version (201 created, 200 moved); honours If-Match")
    public Response set(@PathParam("name") String name, @PathParam("alias") String alias,
                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, SetAlias body) {
        if (body == null) {
            throw new InvalidInputException("body", "expected {\"version\": \"<version>\"}");
        }
        var result = registry.setAlias(name, alias, body.version(), ifMatch, caller.name());
        var a = result.getKey();
        Response.ResponseBuilder rb = result.getValue()
                ? Response.created(URI.create("/api/v1/models/" + name + "/aliases/" + alias))
                : Response.ok();
        return rb.entity(a.value()).tag(unquote(a.etag())).build();
    }

    @DELETE
    @Path("/{alias}")
    @Allowed(Role.DEPLOYER)
    public Response delete(@PathParam("name") String name, @PathParam("alias") String alias,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        registry.deleteAlias(name, alias, ifMatch);
        return Response.noContent().build();
    }

    private static String unquote(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
