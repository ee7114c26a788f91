package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.MosquittoCondition;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Settings that point the controller at the Mosquitto at 127.0.0.1:1883 (anonymous). Other builds may
 * use that broker at the same time, so each test JVM takes a share group and client id of its own.
 */
final class ExternalBroker {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private ExternalBroker() {
    }

    static Map<String, String> with(Map<String, String> base, String name) {
        Map<String, String> m = new HashMap<>(base);
        m.put("continuum.mqtt.mode", "external");
        m.put("continuum.mqtt.broker-uri", MosquittoCondition.URI);
        m.put("continuum.mqtt.share-group", "continuum-test-" + RUN);
        m.put("continuum.mqtt.client-id", "continuum-test-" + name + "-" + RUN);
        m.put("continuum.mqtt.clean-session", "true");
        m.put("continuum.telemetry.write-linger", "20ms");
        return m;
    }
}
