package dev.continuum.controller.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Device enrolment tokens (operator and admin). */
@Path("/api/v1/bootstrap-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Role.OPERATOR)
@Tag(name = "bootstrap-tokens")
public class BootstrapTokenResource {
    @Inject
    TokenService tokens;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper json;

    /** All fields optional: expiry defaults to 24 hours, uses to unlimited. */
    public record CreateBootstrapToken(String name, Instant expiresAt, Integer maxUses, Map<String, String> labels) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BootstrapTokenView(String id, String name, Instant createdAt, String createdBy, Instant expiresAt,
                                     Integer maxUses, int uses, Map<String, String> labels, Instant revokedAt,
                                     String token) {
        static BootstrapTokenView of(BootstrapToken t, String secret) {
            return new BootstrapTokenView(t.id, t.name, t.createdAt, t.createdBy, t.expiresAt, t.maxUses, t.uses,
                    Json.readLabels(t.labelsJson), t.revokedAt, secret);
        }
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Create a bootstrap token for device enrolment; the secret is in 'token', shown only once")
    public Response create(String body) throws JsonProcessingException {
        // the body is optional, so it is read as text: an empty POST takes every default
        // (the JSON literal null, too)
        CreateBootstrapToken r = body == null || body.isBlank() ? null : json.readValue(body, CreateBootstrapToken.class);
        if (r == null) {
            r = new CreateBootstrapToken(null, null, null, null);
        }
        var issued = tokens.createBootstrap(r.name(), r.expiresAt(), r.maxUses(), r.labels(), caller.name());
        return Response.created(URI.create("/api/v1/bootstrap-tokens/" + issued.token().id))
                .entity(BootstrapTokenView.of(issued.token(), issued.secret())).build();
    }

    @GET
    public Page<BootstrapTokenView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        return Page.of(tokens.listBootstrap(page), page, t -> t.id, t -> BootstrapTokenView.of(t, null));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a bootstrap token (idempotent); devices it enrolled keep their credentials")
    public BootstrapTokenView revoke(@PathParam("id") String id) {
        return BootstrapTokenView.of(tokens.revokeBootstrap(id), null);
    }
}
