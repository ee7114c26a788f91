package dev.continuum.agent.telemetry;

import static org.awaitility.Awaitility.await;

import dev.continuum.agent.Agent;
import dev.continuum.agent.AgentConfig;
import dev.continuum.agent.FakeController;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Agents serving LeNet from a fake controller, with telemetry settings of the test's choosing. */
final class AgentTelemetryFixture {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String GOOD = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,32,32],\"datatype\":\"FP32\",\"data\":["
            + "0.5,".repeat(1023) + "0.5]}]}";
    static final String BAD_SHAPE = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,16,64],\"datatype\":\"FP32\",\"data\":["
            + "0.5,".repeat(1023) + "0.5]}]}";

    private AgentTelemetryFixture() {
    }

    /** Starts an agent on {@code dataDir}; {@code settings} add to or replace the defaults. */
    static Agent start(FakeController controller, Path dataDir, Map<String, String> settings) throws Exception {
        Map<String, String> m = new HashMap<>(Map.of("controller", "http://127.0.0.1:" + controller.port(),
                "bootstrap-token", FakeController.TOKEN, "name", "telemetry-test", "data-dir", dataDir.toString(),
                "http-port", "0", "grpc-port", "-1", "engine-threads", "1", "reconnect-min", "0.1",
                "reconnect-max", "0.3", "telemetry-interval", "0.2"));
        m.putAll(settings);
        return new Agent(AgentConfig.fromMap(m)).start();
    }

    static void awaitServing(Agent agent) {
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.server().get("lenet").isPresent());
    }

    static int infer(Agent agent, String body) throws Exception {
        return infer(agent, "lenet", body);
    }

    static int infer(Agent agent, String model, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.restPort()
                        + "/v2/models/" + model + "/infer")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
