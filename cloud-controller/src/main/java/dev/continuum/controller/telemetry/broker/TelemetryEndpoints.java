package dev.continuum.controller.telemetry.broker;

import dev.continuum.controller.telemetry.TelemetryConfig;
import dev.continuum.proto.v1.TelemetryEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

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
        return port == 0 ? Optional.empty() : Optional.of("tcp://" + hostName() + ":" + port);
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
                yield Optional.of("tcp://" + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host)
                        + ":" + port);
            }
        };
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
