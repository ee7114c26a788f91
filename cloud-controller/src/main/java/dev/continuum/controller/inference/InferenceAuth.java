package dev.continuum.controller.inference;

import dev.continuum.controller.agentlink.EnrolmentService;
import dev.continuum.controller.auth.ApiToken;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.auth.Secrets;
import dev.continuum.controller.auth.TokenService;
import dev.continuum.controller.common.UnauthenticatedException;
import dev.continuum.oip.OipException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may infer: a device with its enrolment credential (the one agents present on the agent link),
 * or an API token whose role includes {@code continuum.inference.auth.api-token-role}. Both arrive
 * as {@code Authorization: Bearer <secret>}. Accepted secrets are remembered (by their SHA-256) for
 * {@code continuum.inference.auth.cache-ttl}, so a revoked credential stops working within that time.
 */
@ApplicationScoped
public class InferenceAuth {
    /** Device credentials carry this prefix (see the agent link's enrolment). */
    private static final String DEVICE_PREFIX = "ctd_";

    @Inject
    TokenService tokens;

    @Inject
    EnrolmentService enrolment;

    private Role apiTokenRole;
    private TtlCache<String, Caller> accepted;

    /** An authenticated caller: a device or an API token, by id. */
    public record Caller(String kind, String id) {
    }

    @Inject
    void configure(InferenceConfig config) {
        apiTokenRole = config.auth().apiTokenRole();
        accepted = new TtlCache<>(config.auth().cacheTtl(), 10_000, System::nanoTime);
    }

    /**
     * @param authorization the {@code Authorization} header (or gRPC {@code authorization} metadata), may be null
     * @throws OipException 401 without a known bearer secret, 403 for an API token whose role may not infer
     */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new OipException(401, "inference needs a device credential or an API token: send "
                    + "'Authorization: Bearer <secret>'");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw new OipException(401, "the Authorization header must be 'Bearer <secret>'");
        }
        String secret = authorization.substring(7).trim();
        return accepted.get(Secrets.sha256(secret), hash -> lookup(secret));
    }

    private Caller lookup(String secret) {
        boolean device = secret.startsWith(DEVICE_PREFIX);
        try {
            return device ? asDevice(secret) : asToken(secret);
        } catch (UnauthenticatedException first) {
            try {
                return device ? asToken(secret) : asDevice(secret);
            } catch (UnauthenticatedException second) {
                throw new OipException(401, first.getMessage());
            }
        }
    }

    private Caller asDevice(String secret) {
        return new Caller("device", enrolment.authenticate(secret));
    }

    private Caller asToken(String secret) {
        ApiToken t = tokens.authenticate(secret);
        if (!t.role.includes(apiTokenRole)) {
            throw new OipException(403, "token " + t.id + " has role " + t.role.wireName() + "; inference needs role "
                    + apiTokenRole.wireName() + " or higher (continuum.inference.auth.api-token-role)");
        }
        return new Caller("token", t.id);
    }

    void forget() {
        accepted.clear();
    }
}
