package dev.continuum.engine;

/** A run was given a missing, unknown, or wrongly typed or shaped input. */
public class InvalidInputException extends EngineException {
    private final String inputName;

    public InvalidInputException(String inputName, String message) {
        super(message);
        this.inputName = inputName;
    }

    /** The name of the offending input. */
    public String inputName() {
        return inputName;
    }
}
