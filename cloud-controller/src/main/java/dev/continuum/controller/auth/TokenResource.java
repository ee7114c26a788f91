package dev.continuum.controller.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.continuum.controller.common.InvalidInputException;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API tokens (admin only) and {@code whoami} (any token). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
public class TokenResource {
    @Inject
    TokenService tokens;

    @Inject
    Caller caller;

    public record CreateToken(String name, Role role, Instant expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String id, String name, Role role, Instant createdAt, String createdBy, Instant expiresAt,
                            Instant revokedAt, Instant lastUsedAt, String token) {
        static TokenView of(ApiToken t, String secret) {
            return new TokenView(t.id, t.name, t.role, t.createdAt, t.createdBy, t.expiresAt, t.revokedAt, t.lastUsedAt,
                    secret);
        }
    }

    public record WhoAmI(String tokenId, String name, Role role) {
    }

    @GET
    @Path("/whoami")
    @Allowed(Role.VIEWER)
    @Operation(summary = "The calling token's id, name and role")
    public WhoAmI whoami() {
        return new WhoAmI(caller.tokenId(), caller.name(), caller.role());
    }

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(summary = "Create an API token; the response holds its secret, shown only this once")
    public Response create(CreateToken req) {
        if (req == null) {
            throw new InvalidInputException("body", "a JSON body {\"name\": ..., \"role\": ...} is required");
        }
        var issued = tokens.create(req.name(), req.role(), req.expiresAt(), caller.name());
        return Response.created(URI.create("/api/v1/tokens/" + issued.token().id))
                .entity(TokenView.of(issued.token(), issued.secret())).build();
    }

    @GET
    @Path("/tokens")
    @Allowed(Role.ADMIN)
    @Operation(summary = "List API tokens (never their secrets)")
    public Page<TokenView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        return Page.of(tokens.list(page), page, t -> t.id, t -> TokenView.of(t, null));
    }

    @GET
    @Path("/tokens/{id}")
    @Allowed(Role.ADMIN)
    public TokenView get(@PathParam("id") String id) {
        return TokenView.of(tokens.get(id), null);
    }

    @DELETE
    @Path("/tokens/{id}")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Revoke an API token (idempotent)")
    public TokenView revoke(@PathParam("id") String id) {
        return TokenView.of(tokens.revoke(id), null);
    }
}
