package dev.continuum.controller.telemetry;

import dev.continuum.proto.v1.DeviceStatus;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain Paho client acting as a device: user name = device id, password = its credential, QoS 1. */
final class DevicePublisher implements AutoCloseable {
    final MqttClient client;

    private DevicePublisher(MqttClient client) {
        this.client = client;
    }

    static DevicePublisher connect(String brokerUri, String username, String password) throws MqttException {
        return connect(brokerUri, username, password, false);
    }

    /** With {@code lastWill}, the broker publishes OFFLINE (retained) on the device's status topic when it vanishes. */
    static DevicePublisher connect(String brokerUri, String username, String password, boolean lastWill)
            throws MqttException {
        MqttClient c = new MqttClient(brokerUri, username + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(username);
        o.setPassword(password.toCharArray());
        o.setCleanSession(true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setConnectionTimeout(10);
        if (lastWill) {
            o.setWill("continuum/v1/devices/" + username + "/status", DeviceStatus.newBuilder().setDeviceId(username)
                    .setState(DeviceStatus.State.OFFLINE).build().toByteArray(), 1, true);
        }
        c.setTimeToWait(10_000);
        c.connect(o);
        return new DevicePublisher(c);
    }

    void publish(String topic, byte[] payload) throws MqttException {
        publish(topic, payload, false);
    }

    void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        client.publish(topic, m);
    }

    void telemetry(String deviceId, byte[] payload) throws MqttException {
        publish("continuum/v1/devices/" + deviceId + "/telemetry", payload);
    }

    void status(String deviceId, DeviceStatus.State state) throws MqttException {
        publish("continuum/v1/devices/" + deviceId + "/status", DeviceStatus.newBuilder().setDeviceId(deviceId)
                .setState(state).setAgentVersion("test").setSinceMillis(System.currentTimeMillis()).build().toByteArray(),
                true);
    }

    /** Drops the connection without DISCONNECT, as a crashed device would: the broker sends its last will. */
    void vanish() throws MqttException {
        client.disconnectForcibly(0, 0, false);
        client.close(true);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(500);
            }
            client.close(true);
        } catch (MqttException e) {
            // already gone
        }
    }
}
