package dev.continuum.controller.common;

/** A request field has a value the API does not accept; the detail says what was expected. */
public class InvalidInputException extends ApiException {
    public InvalidInputException(String field, String detail) {
        super(400, "invalid-input", "Bad Request", field, detail);
    }
}
