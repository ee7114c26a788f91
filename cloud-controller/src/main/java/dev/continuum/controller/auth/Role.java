package dev.continuum.controller.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * API token roles, each including everything the roles below it may do:
 * <ul>
 *   <li>{@code viewer}: read everything except tokens (models, versions, artifacts, aliases, devices);
 *   <li>{@code deployer} (CI): also publish versions and move aliases (later: manage rollouts);
 *   <li>{@code operator}: also edit and delete models and versions, manage devices and bootstrap tokens;
 *   <li>{@code admin}: also create, list and revoke API tokens.
 * </ul>
 */
public enum Role {
    VIEWER, DEPLOYER, OPERATOR, ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "'; expected one of "
                + Arrays.stream(values()).map(Role::wireName).toList());
    }
}
