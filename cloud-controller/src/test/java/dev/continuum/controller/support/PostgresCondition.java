package dev.continuum.controller.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables PostgreSQL tests only when a server answers at 127.0.0.1:5432; otherwise skips them loudly. */
public class PostgresCondition implements ExecutionCondition {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    public static final String JDBC_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/test";
    private static volatile String unreachable;
    private static volatile boolean probed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = probe();
        if (why == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + HOST + ":" + PORT);
        }
        String msg = "SKIPPED " + context.getDisplayName() + ": PostgreSQL is not reachable at " + HOST + ":" + PORT
                + " (" + why + "); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
        System.err.println("[continuum] " + msg);
        return ConditionEvaluationResult.disabled(msg);
    }

    private static synchronized String probe() {
        if (!probed) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, PORT), 1000);
                unreachable = null;
            } catch (Exception e) {
                unreachable = e.toString();
            }
            probed = true;
        }
        return unreachable;
    }
}
