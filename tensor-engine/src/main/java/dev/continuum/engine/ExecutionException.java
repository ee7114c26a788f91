package dev.continuum.engine;

/** A node failed while running, for example on data-dependent shapes that do not fit together. */
public class ExecutionException extends EngineException {
    private final String nodeName;

    public ExecutionException(String nodeName, String message, Throwable cause) {
        super(message, cause);
        this.nodeName = nodeName;
    }

    public String nodeName() {
        return nodeName;
    }
}
