package dev.continuum.controller.telemetry.broker;

import dev.continuum.controller.auth.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The MQTT identity of the controller's own client. With the embedded broker: user
 * {@code continuum-controller} and a secret generated at every start (it never leaves the process).
 * With an external broker: {@code continuum.mqtt.username} / {@code password}, if set.
 */
@ApplicationScoped
public class ControllerCredentials {
    public static final String EMBEDDED_USERNAME = "continuum-controller";

    private final String generatedSecret = Secrets.newToken("ctm_");

    @Inject
    MqttConfig config;

    public Optional<String> username() {
        return config.mode() == MqttConfig.Mode.EMBEDDED ? Optional.of(EMBEDDED_USERNAME) : config.username();
    }

    public Optional<String> password() {
        return config.mode() == MqttConfig.Mode.EMBEDDED ? Optional.of(generatedSecret) : config.password();
    }

    /** Whether a CONNECT from the embedded broker carries the controller's own identity. */
    boolean isController(String username, byte[] password) {
        return EMBEDDED_USERNAME.equals(username) && password != null
                && MessageDigest.isEqual(generatedSecret.getBytes(StandardCharsets.UTF_8), password);
    }
}
