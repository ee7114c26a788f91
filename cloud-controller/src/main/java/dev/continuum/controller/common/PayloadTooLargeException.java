package dev.continuum.controller.common;

/** The request body exceeds a configured limit. */
public class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException(long limitBytes, String setting) {
        super(413, "payload-too-large", "Payload Too Large", "body",
                "the body exceeds the limit of " + limitBytes + " bytes (" + setting + ")");
        with("limitBytes", limitBytes);
    }
}
