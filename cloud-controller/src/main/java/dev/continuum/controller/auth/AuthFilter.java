package dev.continuum.controller.auth;

import dev.continuum.controller.common.ForbiddenException;
import dev.continuum.controller.common.UnauthenticatedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every call under {@code /api} needs {@code Authorization: Bearer <token>} whose role includes the
 * method's {@link Allowed} role. Runs on the worker thread of the (blocking) resource method.
 */
public class AuthFilter {
    @Inject
    TokenService tokens;

    @Inject
    Caller caller;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext ctx, ResourceInfo resource) {
        if (!ctx.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new UnauthenticatedException("this endpoint needs an API token: send 'Authorization: Bearer <token>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw new UnauthenticatedException("the Authorization header must be 'Bearer <token>'");
        }
        ApiToken token = tokens.authenticate(header.substring(7).trim());
        caller.set(token.id, token.name, token.role);

        Role needed = required(resource);
        if (!token.role.includes(needed)) {
            throw new ForbiddenException("token " + token.id + " has role " + token.role.wireName() + "; "
                    + ctx.getMethod() + " " + ctx.getUriInfo().getPath() + " needs role " + needed.wireName()
                    + " or higher").with("role", token.role.wireName()).with("requiredRole", needed.wireName());
        }
    }

    private static Role required(ResourceInfo resource) {
        Method m = resource.getResourceMethod();
        Allowed a = m == null ? null : m.getAnnotation(Allowed.class);
        if (a == null && resource.getResourceClass() != null) {
            a = resource.getResourceClass().getAnnotation(Allowed.class);
        }
        return a == null ? Role.ADMIN : a.value();
    }
}
