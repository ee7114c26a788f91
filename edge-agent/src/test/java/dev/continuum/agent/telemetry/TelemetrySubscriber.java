package dev.continuum.agent.telemetry;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.TelemetryBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A plain Paho subscriber to one device's telemetry and status topics (QoS 1), reconnecting by itself.
 * A persistent one (clean session off) keeps its subscription and queued messages at the broker
 * while it is away.
 */
final class TelemetrySubscriber implements AutoCloseable {
    final List<TelemetryBatch> batches = new CopyOnWriteArrayList<>();
    final List<DeviceStatus> statuses = new CopyOnWriteArrayList<>();
    private final MqttClient client;
    private final String[] topics;

    private TelemetrySubscriber(String uri, String deviceId, boolean persistent) throws MqttException {
        topics = new String[] {MqttSender.telemetryTopic(deviceId), MqttSender.statusTopic(deviceId)};
        // a persistent session is found again by its client id
        String clientId = persistent ? "sub-" + deviceId : "sub-" + UUID.randomUUID().toString().substring(0, 8);
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect && !persistent) {
                    subscribe();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws InvalidProtocolBufferException {
                if (topic.endsWith("/telemetry")) {
                    batches.add(TelemetryBatch.parseFrom(message.getPayload()));
                } else {
                    statuses.add(DeviceStatus.parseFrom(message.getPayload()));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistent);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        client.connect(o);
        subscribe();
    }

    static TelemetrySubscriber connect(String uri, String deviceId, boolean persistent) throws MqttException {
        return new TelemetrySubscriber(uri, deviceId, persistent);
    }

    private void subscribe() {
        try {
            client.subscribe(topics, new int[] {1, 1});
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each sequence once, as first received. */
    List<TelemetryBatch> distinct() {
        Map<Long, TelemetryBatch> bySequence = new LinkedHashMap<>();
        for (TelemetryBatch b : batches) {
            bySequence.putIfAbsent(b.getSequence(), b);
        }
        return new ArrayList<>(bySequence.values());
    }

    long requests() {
        return distinct().stream().flatMap(b -> b.getModelsList().stream()).mapToLong(m -> m.getRequests()).sum();
    }

    long errors() {
        return distinct().stream().flatMap(b -> b.getModelsList().stream()).mapToLong(m -> m.getErrors()).sum();
    }

    List<Long> sequences() {
        return distinct().stream().map(TelemetryBatch::getSequence).toList();
    }

    DeviceStatus lastStatus() {
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
