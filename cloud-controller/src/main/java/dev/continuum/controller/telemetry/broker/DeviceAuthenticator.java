package dev.continuum.controller.telemetry.broker;

import dev.continuum.controller.agentlink.EnrolmentService;
import dev.continuum.controller.common.UnauthenticatedException;
import io.moquette.broker.security.IAuthenticator;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Who may connect to the embedded broker: a device with user name = its id and password = its
 * credential (checked against the stored hash, as on the agent link), and the controller's own client.
 */
final class DeviceAuthenticator implements IAuthenticator {
    private static final Logger LOG = Logger.getLogger(DeviceAuthenticator.class);
    private final EnrolmentService enrolment;
    private final ControllerCredentials controller;

    DeviceAuthenticator(EnrolmentService enrolment, ControllerCredentials controller) {
        this.enrolment = enrolment;
        this.controller = controller;
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            LOG.infof("MQTT client '%s' refused: no user name or password", clientId);
            return false;
        }
        if (ControllerCredentials.EMBEDDED_USERNAME.equals(username)) {
            return controller.isController(username, password);
        }
        try {
            String deviceId = enrolment.authenticate(new String(password, StandardCharsets.UTF_8));
            if (deviceId.equals(username)) {
                return true;
            }
            LOG.infof("MQTT client '%s' refused: user name '%s' is not the device its credential belongs to",
                    clientId, username);
        } catch (UnauthenticatedException e) {
            LOG.infof("MQTT client '%s' (user '%s') refused: %s", clientId, username, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("MQTT client '%s' (user '%s') refused: cannot check the credential: %s", clientId, username,
                    e.toString());
        }
        return false;
    }
}
