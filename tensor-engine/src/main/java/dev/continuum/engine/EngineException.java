package dev.continuum.engine;

/** Base of every error the tensor engine reports; the message names the bad input. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
