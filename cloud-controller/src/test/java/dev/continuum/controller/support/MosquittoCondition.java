package dev.continuum.controller.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables tests only when an MQTT broker answers at 127.0.0.1:1883; otherwise skips them loudly. */
public class MosquittoCondition implements ExecutionCondition {
    public static final String URI = "tcp://127.0.0.1:1883";
    private static volatile String unreachable;
    private static volatile boolean probed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = probe();
        if (why == null) {
            return ConditionEvaluationResult.enabled("MQTT broker reachable at 127.0.0.1:1883");
        }
        String msg = "SKIPPED " + context.getDisplayName() + ": no MQTT broker at 127.0.0.1:1883 (" + why
                + "); start one with: mosquitto -d -c /etc/mosquitto/mosquitto.conf";
        System.err.println("[continuum] " + msg);
        return ConditionEvaluationResult.disabled(msg);
    }

    private static synchronized String probe() {
        if (!probed) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", 1883), 1000);
                unreachable = null;
            } catch (Exception e) {
                unreachable = e.toString();
            }
            probed = true;
        }
        return unreachable;
    }
}
