package dev.continuum.controller.rollout;

import dev.continuum.controller.support.Api;
import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.DeviceProfile;
import dev.continuum.proto.v1.DeviceVitals;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Devices enrolled the way agents enrol (a bootstrap token, then gRPC {@code Enrol} with a device profile),
 * publishing telemetry batches over MQTT with their own credentials, as their agents would.
 */
public final class FleetFixture implements AutoCloseable {
    private final ManagedChannel channel;
    private final String brokerUri;
    private final Map<String, String> credentials = new HashMap<>();
    private final Map<String, MqttClient> clients = new HashMap<>();
    private final Map<String, AtomicLong> sequences = new HashMap<>();

    public FleetFixture(URL controller, int brokerPort) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", controller.getPort()).usePlaintext().build();
        brokerUri = "tcp://127.0.0.1:" + brokerPort;
    }

    /** Enrols {@code count} devices with these labels and an engine of 10 GFLOP/s; their ids in id order. */
    public synchronized List<String> enrol(int count, Map<String, String> labels) {
        String token = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "fleet-fixture",
                "maxUses", count)).post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EnrolResponse r = DeviceEnrolmentGrpc.newBlockingStub(channel).enrol(EnrolRequest.newBuilder()
                    .setBootstrapToken(token).setName("device " + i).putAllLabels(labels).setAgentVersion("test")
                    .setProfile(DeviceProfile.newBuilder().setCores(4).setEngineGflops(10.0)).build());
            credentials.put(r.getDeviceId(), r.getCredential());
            ids.add(r.getDeviceId());
        }
        ids.sort(null);
        return ids;
    }

    /** Sets labels on a device through the API. */
    public static void label(String deviceId, Map<String, String> labels) {
        Api.admin().contentType(ContentType.JSON).body(Map.of("labels", labels)).patch("/api/v1/devices/" + deviceId)
                .then().statusCode(200);
    }

    /**
     * Publishes one telemetry batch for the device, ending now: {@code requests} requests of the model version
     * with {@code errors} errors, each latency one timed request.
     */
    public synchronized void traffic(String deviceId, String model, String version, Placement placement, long requests, long errors,
                        long... latencyMicros) throws MqttException {
        MergeableHistogram h = new MergeableHistogram();
        Arrays.stream(latencyMicros).forEach(h::record);
        publish(deviceId, batch(deviceId).addModels(ModelTelemetry.newBuilder().setModel(model).setVersion(version)
                .setPlacement(placement).setRequests(requests).setErrors(errors).setLatency(h.toProto())));
    }

    /** Publishes the device's link measurements. */
    public synchronized void vitals(String deviceId, long rttP95Micros, long uplinkBytesPerSecond) throws MqttException {
        publish(deviceId, batch(deviceId).setVitals(DeviceVitals.newBuilder().setRttP50Micros(rttP95Micros / 2)
                .setRttP95Micros(rttP95Micros).setUplinkBytesPerSecond(uplinkBytesPerSecond)));
    }

    private TelemetryBatch.Builder batch(String deviceId) {
        long end = Instant.now().toEpochMilli();
        return TelemetryBatch.newBuilder().setDeviceId(deviceId)
                .setSequence(sequences.computeIfAbsent(deviceId, k -> new AtomicLong()).incrementAndGet())
                .setWindowStartMillis(end - 1000).setWindowEndMillis(end);
    }

    private void publish(String deviceId, TelemetryBatch.Builder b) throws MqttException {
        MqttMessage m = new MqttMessage(b.build().toByteArray());
        m.setQos(1);
        client(deviceId).publish("continuum/v1/devices/" + deviceId + "/telemetry", m);
    }

    private MqttClient client(String deviceId) throws MqttException {
        MqttClient c = clients.get(deviceId);
        if (c == null) {
            c = new MqttClient(brokerUri, deviceId + "-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(deviceId);
            o.setPassword(credentials.get(deviceId).toCharArray());
            o.setCleanSession(true);
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            c.setTimeToWait(10_000);
            c.connect(o);
            clients.put(deviceId, c);
        }
        return c;
    }

    @Override
    public void close() {
        for (MqttClient c : clients.values()) {
            try {
                c.disconnect(500);
                c.close(true);
            } catch (MqttException e) {
                // already gone
            }
        }
        channel.shutdownNow();
    }
}
