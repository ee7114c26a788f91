package dev.continuum.controller.auth;

import dev.continuum.controller.common.Times;
import dev.continuum.controller.common.ConflictException;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.UnauthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/** API and bootstrap tokens: issue, authenticate, list, revoke. Secrets leave this class once, on creation. */
@ApplicationScoped
public class TokenService {
    static final String API_PREFIX = "ctn_";
    static final String BOOTSTRAP_PREFIX = "ctb_";
    /** Last-use times are written at most this often per token, not on every request. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    static final Duration DEFAULT_BOOTSTRAP_TTL = Duration.ofHours(24);

    @Inject
    Session db;

    /** A token and, only on creation, its secret. */
    public record Issued<T>(T token, String secret) {
    }

    @Transactional
    public ApiToken authenticate(String secret) {
        ApiToken t = db.createSelectionQuery("from ApiToken where tokenHash = :h", ApiToken.class)
                .setParameter("h", Secrets.sha256(secret)).uniqueResult();
        Instant now = Times.now();
        if (t == null) {
            throw new UnauthenticatedException("the bearer token is not known to this controller");
        }
        if (t.revokedAt != null) {
            throw new UnauthenticatedException("token " + t.id + " was revoked at " + t.revokedAt);
        }
        if (t.expiresAt != null && !t.expiresAt.isAfter(now)) {
            throw new UnauthenticatedException("token " + t.id + " expired at " + t.expiresAt);
        }
        if (t.lastUsedAt == null || t.lastUsedAt.plus(LAST_USED_GRANULARITY).isBefore(now)) {
            t.lastUsedAt = now;
        }
        return t;
    }

    @Transactional
    public Issued<ApiToken> create(String name, Role role, Instant expiresAt, String createdBy) {
        Names.displayName("name", name);
        if (role == null) {
            throw new InvalidInputException("role", "role is required: one of viewer, deployer, operator, admin");
        }
        if (expiresAt != null && !expiresAt.isAfter(Times.now())) {
            throw new InvalidInputException("expiresAt", "expiresAt " + expiresAt + " is in the past");
        }
        String secret = Secrets.newToken(API_PREFIX);
        ApiToken t = new ApiToken();
        t.id = Secrets.newId("tok_");
        t.name = name;
        t.role = role;
        t.tokenHash = Secrets.sha256(secret);
        t.createdAt = Times.now();
        t.createdBy = createdBy;
        t.expiresAt = expiresAt;
        db.persist(t);
        return new Issued<>(t, secret);
    }

    /** Installs a token whose secret the operator chose (the admin token from the environment). */
    @Transactional
    public boolean install(String id, String name, Role role, String secret) {
        String hash = Secrets.sha256(secret);
        ApiToken existing = db.createSelectionQuery("from ApiToken where tokenHash = :h", ApiToken.class)
                .setParameter("h", hash).uniqueResult();
        if (existing != null) {
            return false;
        }
        ApiToken t = new ApiToken();
        t.id = id;
        t.name = name;
        t.role = role;
        t.tokenHash = hash;
        t.createdAt = Times.now();
        t.createdBy = "controller";
        db.persist(t);
        return true;
    }

    @Transactional
    public long countApiTokens() {
        return db.createSelectionQuery("select count(*) from ApiToken", Long.class).getSingleResult();
    }

    @Transactional
    public List<ApiToken> list(PageRequest page) {
        return db.createSelectionQuery("from ApiToken where (:after is null or id > :after) order by id", ApiToken.class)
                .setParameter("after", page.after()).setMaxResults(page.limit() + 1).getResultList();
    }

    @Transactional
    public ApiToken get(String id) {
        ApiToken t = db.find(ApiToken.class, id);
        if (t == null) {
            throw new NotFoundException("token", id, "id");
        }
        return t;
    }

    /** Revokes a token; refuses to revoke the last active admin token, which would lock everyone out. */
    @Transactional
    public ApiToken revoke(String id) {
        ApiToken t = get(id);
        Instant now = Times.now();
        if (t.revokedAt != null) {
            return t;
        }
        if (t.role == Role.ADMIN && t.activeAt(now)) {
            long admins = db.createSelectionQuery("select count(*) from ApiToken where role = :r and revokedAt is null "
                            + "and (expiresAt is null or expiresAt > :now)", Long.class)
                    .setParameter("r", Role.ADMIN).setParameter("now", now).getSingleResult();
            if (admins <= 1) {
                throw new ConflictException("id", "token " + id + " is the last active admin token; "
                        + "create another admin token before revoking it");
            }
        }
        t.revokedAt = now;
        return t;
    }

    @Transactional
    public Issued<BootstrapToken> createBootstrap(String name, Instant expiresAt, Integer maxUses,
                                                  Map<String, String> labels, String createdBy) {
        Instant now = Times.now();
        if (expiresAt == null) {
            expiresAt = now.plus(DEFAULT_BOOTSTRAP_TTL);
        } else if (!expiresAt.isAfter(now)) {
            throw new InvalidInputException("expiresAt", "expiresAt " + expiresAt + " is in the past");
        }
        if (name != null && name.length() > Names.MAX_DISPLAY_NAME) {
            throw new InvalidInputException("name", "name is optional but at most " + Names.MAX_DISPLAY_NAME
                    + " characters, got " + name.length());
        }
        if (maxUses != null && maxUses < 1) {
            throw new InvalidInputException("maxUses", "maxUses must be at least 1, got " + maxUses);
        }
        Names.labels("labels", labels);
        String secret = Secrets.newToken(BOOTSTRAP_PREFIX);
        BootstrapToken t = new BootstrapToken();
        t.id = Secrets.newId("btk_");
        t.name = name;
        t.tokenHash = Secrets.sha256(secret);
        t.labelsJson = Json.write(labels == null ? Map.of() : labels);
        t.createdAt = now;
        t.createdBy = createdBy;
        t.expiresAt = expiresAt;
        t.maxUses = maxUses;
        db.persist(t);
        return new Issued<>(t, secret);
    }

    @Transactional
    public List<BootstrapToken> listBootstrap(PageRequest page) {
        return db.createSelectionQuery("from BootstrapToken where (:after is null or id > :after) order by id",
                        BootstrapToken.class)
                .setParameter("after", page.after()).setMaxResults(page.limit() + 1).getResultList();
    }

    @Transactional
    public BootstrapToken revokeBootstrap(String id) {
        BootstrapToken t = db.find(BootstrapToken.class, id);
        if (t == null) {
            throw new NotFoundException("bootstrap token", id, "id");
        }
        if (t.revokedAt == null) {
            t.revokedAt = Times.now();
        }
        return t;
    }
}
