package dev.continuum.engine;

/** The bytes are not a valid ONNX model: not protobuf, truncated, or structurally inconsistent. */
public class ModelFormatException extends EngineException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
