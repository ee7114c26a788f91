package dev.continuum.engine.cli;

import java.nio.file.Path;

/** One model directory in ONNX backend-test layout, with the outcome of checking it. */
public record TestCase(String name, Path dir, Outcome outcome, String reason) {

    public enum Outcome { PASS, FAIL, SKIP }

    /** The line {@code check} prints: {@code PASS name}, {@code FAIL name: reason}, {@code SKIP name: reason}. */
    public String line() {
        return outcome + " " + name + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    }
}
