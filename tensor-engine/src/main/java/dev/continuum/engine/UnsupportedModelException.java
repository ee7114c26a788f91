package dev.continuum.engine;

/**
 * The model is valid ONNX but uses something the engine does not support: an opset outside the
 * supported range, an element type such as string, a non-tensor value, sparse initializers.
 */
public class UnsupportedModelException extends EngineException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
