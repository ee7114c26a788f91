package dev.continuum.agent.serving;

/**
 * A request the local inference API refuses, with the HTTP status it maps to (the gRPC API maps
 * 404 to NOT_FOUND, 400 to INVALID_ARGUMENT, 503 to UNAVAILABLE). The message names the bad input.
 */
public final class OipException extends RuntimeException {
    private final int status;

    public OipException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static OipException badRequest(String message) {
        return new OipException(400, message);
    }

    static OipException notFound(String message) {
        return new OipException(404, message);
    }
}
