package dev.continuum.controller.common;

/** The token is valid but its role may not do this. */
public class ForbiddenException extends ApiException {
    public ForbiddenException(String detail) {
        super(403, "forbidden", "Forbidden", null, detail);
    }
}
