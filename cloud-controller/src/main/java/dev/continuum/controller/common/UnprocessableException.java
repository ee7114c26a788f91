package dev.continuum.controller.common;

/** The request is well-formed but its content cannot be accepted, e.g. an ONNX file the engine refuses. */
public class UnprocessableException extends ApiException {
    public UnprocessableException(String type, String field, String detail) {
        super(422, type, "Unprocessable Content", field, detail);
    }
}
