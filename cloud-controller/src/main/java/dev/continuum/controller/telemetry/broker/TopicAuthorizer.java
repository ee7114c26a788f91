package dev.continuum.controller.telemetry.broker;

import dev.continuum.controller.telemetry.Topics;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

/**
 * What each user of the embedded broker may do: a device publishes only to its own telemetry and
 * status topics and subscribes to nothing; the controller subscribes to every device's telemetry
 * and status and publishes nothing.
 */
final class TopicAuthorizer implements IAuthorizatorPolicy {
    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        if (user == null || ControllerCredentials.EMBEDDED_USERNAME.equals(user)) {
            return false;
        }
        String t = topic.toString();
        return t.equals(Topics.of(user, Topics.Kind.TELEMETRY)) || t.equals(Topics.of(user, Topics.Kind.STATUS));
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        if (!ControllerCredentials.EMBEDDED_USERNAME.equals(user)) {
            return false;
        }
        String t = topic.toString();
        return t.equals(Topics.ALL_TELEMETRY) || t.equals(Topics.ALL_STATUS);
    }
}
