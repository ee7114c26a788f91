package dev.continuum.agent.offload;

/**
 * The controller could not answer a forwarded request: no connection, no answer in time, or a
 * 502/503/504 (controller unavailable or at its limit). The reason is short and human: "connection
 * refused", "no answer within 10.0 s", "HTTP 503: cloud inference is at its limit ...".
 */
public final class CloudUnreachableException extends Exception {
    public CloudUnreachableException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public String reason() {
        return getMessage();
    }
}
