package dev.continuum.controller.telemetry;

import dev.continuum.controller.auth.Secrets;
import dev.continuum.controller.support.TestDirs;
import dev.continuum.controller.telemetry.mosquitto.MosquittoFiles;
import dev.continuum.controller.telemetry.mosquitto.MosquittoPasswords;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Mosquitto, started before the controller on a free port from files made by {@link
 * MosquittoFiles} (at first only the controller user), stopped after. Tests replace its {@code passwd}
 * and {@code acl} and {@link #reload()} it, as an operator would.
 */
public class MosquittoProcess implements QuarkusTestResourceLifecycleManager {
    static final String BINARY = "/usr/sbin/mosquitto";
    static final String CONTROLLER_USER = "continuum-controller";
    static final String SHARE_GROUP = "continuum";
    static volatile Path dir;
    static volatile int port;
    static volatile String controllerPassword;
    private static volatile Process process;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("continuum-mosquitto-");
            port = freePort();
            controllerPassword = Secrets.newToken("ctm_");
            MosquittoFiles f = MosquittoFiles.generate(List.of(), new MosquittoFiles.User(CONTROLLER_USER,
                    MosquittoPasswords.hash(controllerPassword)), SHARE_GROUP, dir.toString(), port);
            write(f);
            // as root mosquitto would switch to the 'mosquitto' user, which cannot read a private temp dir
            Files.writeString(dir.resolve("mosquitto.conf"), f.conf() + "user " + System.getProperty("user.name")
                    + "\nlog_dest file " + dir.resolve("mosquitto.log") + "\nlog_type all\n");
            process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString()).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "continuum.mqtt.mode", "external",
                "continuum.mqtt.broker-uri", uri(),
                "continuum.mqtt.username", CONTROLLER_USER,
                "continuum.mqtt.password", controllerPassword,
                "continuum.mqtt.share-group", SHARE_GROUP,
                "continuum.mqtt.client-id", "continuum-test-mosquitto-" + ExternalBroker.RUN,
                "continuum.mqtt.clean-session", "true");
    }

    static String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    static void write(MosquittoFiles f) throws IOException {
        Files.writeString(dir.resolve("passwd"), f.passwd());
        Files.writeString(dir.resolve("acl"), f.acl());
    }

    /** SIGHUP: Mosquitto reads its password and ACL files again. */
    static void reload() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
        }
    }

    static String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void stop() {
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dir != null) {
            TestDirs.deleteTree(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening() throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stdout.log")) + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s: " + log());
    }
}
