package dev.continuum.controller.telemetry.broker;

import dev.continuum.controller.agentlink.EnrolmentService;
import dev.continuum.controller.config.ContinuumConfig;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The MQTT broker inside the controller ({@code continuum.mqtt.mode=embedded}): Moquette over plain
 * TCP with in-memory sessions, devices authenticated by their credential and confined to their own
 * topics. For one controller replica: Moquette has no shared subscriptions, and its state is lost
 * with the process.
 */
@ApplicationScoped
public class EmbeddedBroker {
    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);

    @Inject
    MqttConfig config;

    @Inject
    ContinuumConfig continuum;

    @Inject
    EnrolmentService enrolment;

    @Inject
    ControllerCredentials controller;

    private Server server;
    private int port;

    /** Starts the broker unless it runs; returns the port it listens on. */
    public synchronized int start() {
        if (server != null) {
            return port;
        }
        // Moquette binds synchronously (a taken port fails here), but learns the port it bound on its
        // event loop, into a plain HashMap that Server.getPort() writes as well: asking it while
        // that write lands threw ConcurrentModificationException. So the broker is always given a
        // concrete port, for port 0 one the operating system just handed out.
        int attempts = config.port() != 0 ? 1 : 3;
        for (int attempt = 1; ; attempt++) {
            int requested = config.port() != 0 ? config.port() : freePort();
            Server s = new Server();
            try {
                s.startServer(new MemoryConfig(properties(requested)), List.of(), null,
                        new DeviceAuthenticator(enrolment, controller), new TopicAuthorizer());
            } catch (IOException | RuntimeException e) {
                stopQuietly(s);
                if (attempt < attempts && e.getCause() instanceof BindException) {
                    continue; // the free port was taken before the broker bound it
                }
                throw new IllegalStateException("cannot start the embedded MQTT broker on " + config.host() + ":"
                        + requested + ": " + e.getMessage(), e);
            }
            server = s;
            port = requested;
            LOG.infof("embedded MQTT broker listening on %s:%d", config.host(), port);
            return port;
        }
    }

    private Properties properties(int listenPort) {
        Properties p = new Properties();
        p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, config.host());
        p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(listenPort));
        p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, continuum.dataDir().resolve("mqtt").toString());
        p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false"); // Moquette's own phone-home, not ours
        p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Long.toString(config.maxMessageSize().asLongValue()));
        p.setProperty(BrokerConstants.IMMEDIATE_BUFFER_FLUSH_PROPERTY_NAME, "true");
        return p;
    }

    /** A port free on the configured host right now. */
    private int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(config.host()))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the embedded MQTT broker on " + config.host(), e);
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stopServer();
        } catch (RuntimeException ignored) {
            // a broker that failed to start may have nothing to stop
        }
    }

    /** The port it listens on; 0 when not started. */
    public synchronized int port() {
        return port;
    }

    void stop(@Observes ShutdownEvent e) {
        Server s;
        synchronized (this) {
            s = server;
            server = null;
            port = 0;
        }
        if (s != null) {
            s.stopServer();
        }
    }
}
