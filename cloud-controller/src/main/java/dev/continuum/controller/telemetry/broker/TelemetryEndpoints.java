package dev.continuum.controller.telemetry.broker;

import dev.continuum.controller.telemetry.TelemetryConfig;
import dev.continuum.proto.v1.TelemetryEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where telemetry goes: the broker URI devices are told (enrolment and every desired state), and the
 * one the controller's own client connects to.
 */
@ApplicationScoped
public class TelemetryEndpoints {
    @Inject
    MqttConfig mqtt;

    @Inject
    TelemetryConfig telemetry;

    @Inject
    EmbeddedBroker embedded;

    private volatile String localHostName;

    /** What a device is told; an empty broker URI when telemetry is off. */
    public TelemetryEndpoint forDevices() {
        return TelemetryEndpoint.newBuilder().setBrokerUri(advertisedUri().orElse(""))
                .setIntervalMillis(telemetry.interval().toMillis()).build();
    }

    Optional<String> advertisedUri() {
        if (mqtt.mode() == MqttConfig.Mode.NONE) {
            return Optional.empty();
        }
        if (mqtt.advertisedUri().isPresent()) {
            return mqtt.advertisedUri();
        }
        if (mqtt.mode() == MqttConfig.Mode.EXTERNAL) {
            return mqtt.brokerUri();
        }
        int port = embedded.port();
        return port == 0 ? Optional.empty() : Optional.of(embeddedUri(mqtt.host(), port, this::hostName));
    }

    /**
     * What devices are told of the embedded broker when no advertised URI is configured: the address it
     * binds, or this host's name when it binds every address.
     */
    static String embeddedUri(String bindHost, int port, Supplier<String> hostName) {
        String host = wildcard(bindHost) ? hostName.get() : bindHost;
        boolean bareIpv6 = host.contains(":") && !host.startsWith("[");
        return "tcp://" + (bareIpv6 ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /**
     * The URI the controller's client connects to: the external broker, or the embedded one on the
     * address it binds (starting it). Empty when telemetry is off.
     */
    public Optional<String> forController() {
        return switch (mqtt.mode()) {
            case NONE -> Optional.empty();
            case EXTERNAL -> Optional.of(mqtt.brokerUri().orElseThrow(() -> new IllegalStateException(
                    "continuum.mqtt.mode is external but continuum.mqtt.broker-uri is not set")));
            case EMBEDDED -> {
                int port = embedded.start();
                String host = mqtt.host();
                yield Optional.of(embeddedUri(host, port, () -> "127.0.0.1"));
            }
        };
    }

    /**
     * This host's name, looked up once: every enrolment and desired state carries the URI, and the
     * lookup can take seconds where the name does not resolve (then: localhost).
     */
    private String hostName() {
        String name = localHostName;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
            localHostName = name;
        }
        return name;
    }

}
