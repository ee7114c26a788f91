package dev.continuum.controller.telemetry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables a test only when the mosquitto binary is installed; otherwise skips it loudly. */
public class MosquittoBinary implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(Path.of(MosquittoProcess.BINARY))) {
            return ConditionEvaluationResult.enabled(MosquittoProcess.BINARY + " is installed");
        }
        String msg = "SKIPPED " + context.getDisplayName() + ": " + MosquittoProcess.BINARY
                + " is not installed (apt-get install mosquitto)";
        System.err.println("[continuum] " + msg);
        return ConditionEvaluationResult.disabled(msg);
    }
}
