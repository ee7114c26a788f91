package dev.continuum.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a fake controller on a real port that goes away and comes back. */
class OfflineAutonomyTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static Agent agent(int controllerPort, Path dataDir) throws Exception {
        return new Agent(AgentConfig.fromMap(Map.of("controller", "http://127.0.0.1:" + controllerPort,
                "bootstrap-token", FakeController.TOKEN, "name", "offline-test", "data-dir", dataDir.toString(),
                "http-port", "0", "grpc-port", "-1", "engine-threads", "1", "reconnect-min", "0.1",
                "reconnect-max", "0.4", "chunk-size", "32K"))).start();
    }

    private int infer(Agent a) throws Exception {
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,32,32],\"datatype\":\"FP32\",\"data\":"
                + "[" + "0.5,".repeat(1023) + "0.5]}]}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.restPort() + "/v2/models/lenet/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void inferenceKeepsAnsweringWhileTheControllerIsGoneAndTheAgentReconnectsWhenItReturns(@TempDir Path dir)
            throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logs.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger linkLog = Logger.getLogger("dev.continuum.agent.link.ControllerLink");
        linkLog.addHandler(capture);
        FakeController controller = new FakeController().start(0);
        int port = controller.port();
        Agent agent = agent(port, dir);
        try {
            await(() -> agent.server().get("lenet").isPresent(), Duration.ofSeconds(30));
            assertThat(agent.deviceId()).isEqualTo("dev-fake");
            assertThat(infer(agent)).isEqualTo(200);

            controller.stop();
            await(() -> !agent.connected(), Duration.ofSeconds(10));
            await(() -> logs.stream().anyMatch(l -> l.matches(".*reconnecting in \\d+\\.\\d s")), Duration.ofSeconds(10));
            for (int i = 0; i < 5; i++) {
                assertThat(infer(agent)).isEqualTo(200);
            }

            int hellos = controller.hellos.get();
            FakeController back = new FakeController().start(port);
            try {
                await(agent::connected, Duration.ofSeconds(10));
                await(() -> back.hellos.get() > 0, Duration.ofSeconds(10));
                assertThat(infer(agent)).isEqualTo(200);
            } finally {
                back.stop();
            }
            assertThat(hellos).as("hellos received by the first controller").isPositive();
        } finally {
            agent.stop();
            linkLog.removeHandler(capture);
        }

        // a restart with no controller at all serves what was installed
        Agent restarted = agent(port, dir);
        try {
            await(() -> restarted.server().get("lenet").isPresent(), Duration.ofSeconds(10));
            assertThat(infer(restarted)).isEqualTo(200);
            assertThat(restarted.connected()).isFalse();
        } finally {
            restarted.stop();
        }
    }
}
