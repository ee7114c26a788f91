package dev.continuum.agent.telemetry;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker of the test's own on a free loopback port, which the test stops and starts
 * again on the same port. Persistence is on (in the test's directory), so a subscriber's persistent
 * session and its queued messages survive a stop and start.
 */
final class Mosquitto implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    final int port;
    private final Path dir;
    private final Path conf;
    private Process process;

    private Mosquitto(Path dir, int port) throws IOException {
        this.dir = dir;
        this.port = port;
        this.conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                + "persistence_location " + dir + "/\n"
                // as root, mosquitto would switch to user 'mosquitto', who cannot write the test's directory
                + "user " + System.getProperty("user.name") + "\n");
    }

    /** A broker configured on a free port, not started yet. */
    static Mosquitto onFreePort(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new Mosquitto(dir, freePort());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    Mosquitto start() throws IOException {
        process = new ProcessBuilder(List.of(BINARY.toString(), "-c", conf.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        await().atMost(Duration.ofSeconds(10)).until(this::listening);
        return this;
    }

    /** Stops the broker with SIGTERM (it saves its sessions) and waits for it to exit. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
