package dev.continuum.controller.common;

import java.util.Map;

/** No bearer token, or one that is unknown, revoked or expired. */
public class UnauthenticatedException extends ApiException {
    public UnauthenticatedException(String detail) {
        super(401, "unauthenticated", "Unauthorized", "Authorization", detail);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("WWW-Authenticate", "Bearer realm=\"continuum\"");
    }
}
