package dev.continuum.controller.common;

/** The request contradicts the current state: a duplicate id, an immutable version, a resource in use. */
public class ConflictException extends ApiException {
    public ConflictException(String field, String detail) {
        super(409, "conflict", "Conflict", field, detail);
    }
}
