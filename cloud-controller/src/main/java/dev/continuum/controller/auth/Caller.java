package dev.continuum.controller.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who made the current request; set by {@link AuthFilter} before any resource method runs. */
@RequestScoped
public class Caller {
    private String tokenId;
    private String name;
    private Role role;

    void set(String tokenId, String name, Role role) {
        this.tokenId = tokenId;
        this.name = name;
        this.role = role;
    }

    public String tokenId() {
        return tokenId;
    }

    /** The token's name, recorded as the author of changes (e.g. {@code ci-main}). */
    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }
}
