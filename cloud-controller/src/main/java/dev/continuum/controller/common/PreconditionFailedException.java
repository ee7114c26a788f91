package dev.continuum.controller.common;

/** {@code If-Match} named a representation that is no longer current. */
public class PreconditionFailedException extends ApiException {
    public PreconditionFailedException(String ifMatch, String currentEtag) {
        super(412, "precondition-failed", "Precondition Failed", "If-Match",
                "If-Match " + ifMatch + " does not match the current ETag " + currentEtag
                        + "; fetch the resource again and retry");
        with("currentEtag", currentEtag);
    }
}
