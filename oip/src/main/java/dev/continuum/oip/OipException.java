package dev.continuum.oip;

/**
 * A request an Open Inference Protocol endpoint refuses, with the HTTP status it maps to (gRPC maps
 * 400 and 413 to INVALID_ARGUMENT, 401 to UNAUTHENTICATED, 403 to PERMISSION_DENIED, 404 to
 * NOT_FOUND, 503 to UNAVAILABLE; see {@link OipGrpc#status}). The message names the bad input.
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

    public static OipException badRequest(String message) {
        return new OipException(400, message);
    }

    public static OipException notFound(String message) {
        return new OipException(404, message);
    }
}
