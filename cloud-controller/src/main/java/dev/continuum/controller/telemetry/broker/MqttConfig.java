package dev.continuum.controller.telemetry.broker;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The MQTT broker devices publish telemetry to, and how the controller reads it ({@code continuum.mqtt.*}). */
@ConfigMapping(prefix = "continuum.mqtt")
public interface MqttConfig {
    /**
     * {@code embedded}: a broker inside the controller (Moquette, one replica only); {@code external}:
     * connect to {@link #brokerUri()} (Mosquitto in production); {@code none}: no telemetry.
     */
    @WithDefault("embedded")
    Mode mode();

    /** Embedded broker: the port it listens on (0 picks a free one). */
    @WithDefault("1883")
    int port();

    /** Embedded broker: the address it binds. */
    @WithDefault("0.0.0.0")
    String host();

    /** Embedded broker: the largest MQTT message it accepts. */
    @WithDefault("256K")
    MemorySize maxMessageSize();

    /** External broker: {@code tcp://host:port} or {@code ssl://host:port}. */
    Optional<String> brokerUri();

    /** External broker: the controller's MQTT user name (the embedded broker uses {@code continuum-controller}). */
    Optional<String> username();

    /** External broker: the controller's MQTT password (the embedded broker uses a secret generated at start). */
    Optional<String> password();

    /**
     * The broker URI handed to devices at enrolment and with every desired state. Default: the
     * external broker URI; for the embedded broker {@code tcp://<host>:<port>} when it binds one
     * address, {@code tcp://<this host's name>:<port>} when it binds every address (the name looked
     * up once; {@code localhost} when it does not resolve).
     */
    Optional<String> advertisedUri();

    /** Shared-subscription group of the controller replicas ({@code $share/<group>/...}; external broker only). */
    @WithDefault("continuum")
    String shareGroup();

    /** The controller's MQTT client id; default {@code continuum-controller-<host name>}. Unique per replica. */
    Optional<String> clientId();

    /**
     * Whether the controller's MQTT session is clean. With a persistent session (false, the default)
     * the broker keeps messages that arrive while the controller is away, and redelivers those it had
     * not acknowledged.
     */
    @WithDefault("false")
    boolean cleanSession();

    enum Mode {
        EMBEDDED, EXTERNAL, NONE
    }
}
