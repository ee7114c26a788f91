package dev.continuum.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own JVM, launched like bin/continuum does, with a 64 MB heap, serving LeNet. */
class AgentProcessTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsInItsOwnProcessWithA64MegabyteHeapServingLenetAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        try (FakeController controller = new FakeController().start(0)) {
            int port = freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = dir.resolve("agent.log");
            Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx64m",
                    "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                    "dev.continuum.agent.Main", "--controller", "http://127.0.0.1:" + controller.port(),
                    "--bootstrap-token", FakeController.TOKEN, "--name", "process-test", "--data-dir",
                    dir.resolve("data").toString(), "--http-port", String.valueOf(port), "--grpc-port", "-1",
                    "--engine-threads", "1"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Instant end = Instant.now().plus(Duration.ofSeconds(60));
                while (true) {
                    assertThat(p.isAlive()).as("agent process (log: %s)", log).isTrue();
                    try {
                        if (get(port, "/v2/models/lenet/ready").statusCode() == 200) {
                            break;
                        }
                    } catch (IOException notYetListening) {
                        // starting
                    }
                    assertThat(Instant.now()).as("lenet served within 60 s; log:%n%s", Files.readString(log)).isBefore(end);
                    Thread.sleep(50);
                }
                String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,32,32],\"datatype\":\"FP32\",\"data\":["
                        + "0.25,".repeat(1023) + "0.25]}]}";
                for (int i = 0; i < 200; i++) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/v2/models/lenet/infer"))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
                assertThat(p.isAlive()).isTrue();
            } finally {
                p.destroy(); // SIGTERM: the shutdown hook stops every component
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("agent stopped on SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).contains("serving lenet 1").contains("continuum agent stopped in")
                    .doesNotContain("OutOfMemoryError");
        }
    }
}
