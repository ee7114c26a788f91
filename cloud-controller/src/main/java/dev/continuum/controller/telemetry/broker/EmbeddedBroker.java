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
        Properties p = new Properties();
        p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, config.host());
        p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(config.port()));
        p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, continuum.dataDir().resolve("mqtt").toString());
        p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false"); // Moquette's own phone-home, not ours
        p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Long.toString(config.maxMessageSize().asLongValue()));
        p.setProperty(BrokerConstants.IMMEDIATE_BUFFER_FLUSH_PROPERTY_NAME, "true");
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p), List.of(), null, new DeviceAuthenticator(enrolment, controller),
                    new TopicAuthorizer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker on " + config.host() + ":"
                    + config.port(), e);
        }
        server = s;
        port = boundPort(s);
        LOG.infof("embedded MQTT broker listening on %s:%d", config.host(), port);
        return port;
    }

    /** Moquette learns the port it bound (which matters for port 0) asynchronously, right after binding. */
    private int boundPort(Server s) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.getPort() == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (s.getPort() != 0) {
            return s.getPort();
        }
        if (config.port() != 0) {
            return config.port();
        }
        s.stopServer();
        server = null;
        throw new IllegalStateException("the embedded MQTT broker did not report the port it bound");
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
