package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.telemetry.TelemetryConfig;
import dev.continuum.controller.telemetry.Topics;
import dev.continuum.controller.telemetry.broker.ControllerCredentials;
import dev.continuum.controller.telemetry.broker.MqttConfig;
import dev.continuum.controller.telemetry.broker.TelemetryEndpoints;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.logging.Logger;

/**
 * The controller's MQTT client: subscribes with QoS 1 to every device's telemetry (through the shared
 * subscription {@code $share/<group>/...} on an external broker, so replicas split the load) and
 * status, parses each message, counts and drops what is malformed or misaddressed (one log line each),
 * and hands the rest to the {@link TelemetryWriter}. Acknowledgements are manual: a message is
 * acknowledged once written. Connects at start, retrying with back-off while the broker is away, and
 * subscribes again after every reconnect.
 */
@ApplicationScoped
public class TelemetryIngest implements MqttCallbackExtended {
    private static final Logger LOG = Logger.getLogger(TelemetryIngest.class);
    private static final long MAX_RETRY_MILLIS = 30_000;

    @Inject
    MqttConfig mqtt;

    @Inject
    TelemetryConfig config;

    @Inject
    TelemetryEndpoints endpoints;

    @Inject
    ControllerCredentials credentials;

    @Inject
    TelemetryStore store;

    @Inject
    IngestMetrics metrics;

    private final AtomicLong connection = new AtomicLong();
    private ScheduledExecutorService connector;
    private TelemetryWriter writer;
    private volatile MqttAsyncClient client;
    private volatile boolean subscribed;
    private String uri;

    void onStart(@Observes StartupEvent e) {
        uri = endpoints.forController().orElse(null);
        if (uri == null) {
            LOG.info("telemetry is off (continuum.mqtt.mode=none)");
            return;
        }
        writer = new TelemetryWriter(config, store, metrics);
        writer.start();
        connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telemetry-connect");
            t.setDaemon(true);
            return t;
        });
        try {
            client = new MqttAsyncClient(uri, clientId(), new MemoryPersistence());
        } catch (MqttException ex) {
            throw new IllegalStateException("invalid MQTT broker URI '" + uri + "': " + ex.getMessage(), ex);
        }
        client.setCallback(this);
        client.setManualAcks(true);
        metrics.brokerConnected(this::ready);
        connector.execute(() -> connect(1000));
    }

    void onStop(@Observes ShutdownEvent e) {
        if (connector != null) {
            connector.shutdownNow();
        }
        MqttAsyncClient c = client;
        if (c != null) {
            try {
                c.disconnectForcibly(1000, 1000);
                c.close(true);
            } catch (MqttException ex) {
                LOG.debugf("closing the MQTT client: %s", ex.toString());
            }
        }
        if (writer != null) {
            writer.stop();
        }
    }

    /** Whether the client is connected and subscribed (for health and tests). */
    public boolean ready() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected() && subscribed;
    }

    private void connect(long retryMillis) {
        try {
            client.connect(options()).waitForCompletion(30_000);
        } catch (MqttException ex) {
            long jittered = retryMillis / 2 + ThreadLocalRandom.current().nextLong(retryMillis / 2 + 1);
            LOG.warnf("cannot connect to MQTT broker %s: %s; reconnecting in %.1f s", uri, ex.toString(),
                    jittered / 1000.0);
            if (!connector.isShutdown()) {
                connector.schedule(() -> connect(Math.min(MAX_RETRY_MILLIS, retryMillis * 2)), jittered,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(mqtt.cleanSession());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay((int) MAX_RETRY_MILLIS);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        credentials.username().ifPresent(o::setUserName);
        credentials.password().ifPresent(p -> o.setPassword(p.toCharArray()));
        return o;
    }

    private String clientId() {
        return mqtt.clientId().orElseGet(() -> {
            try {
                return "continuum-controller-" + InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "continuum-controller";
            }
        });
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        connection.incrementAndGet();
        subscribe(reconnect, serverUri);
    }

    private void subscribe(boolean reconnect, String serverUri) {
        String telemetry = mqtt.mode() == MqttConfig.Mode.EXTERNAL
                ? Topics.shared(mqtt.shareGroup(), Topics.ALL_TELEMETRY) : Topics.ALL_TELEMETRY;
        try {
            client.subscribe(new String[] {telemetry, Topics.ALL_STATUS}, new int[] {1, 1}, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    for (int granted : token.getGrantedQos()) {
                        if (granted == 0x80) {
                            onFailure(token, new IllegalStateException("the broker refused the subscription "
                                    + "(check the controller user's ACL)"));
                            return;
                        }
                    }
                    subscribed = true;
                    LOG.infof("%s %s; subscribed to %s and %s", reconnect ? "reconnected to" : "connected to",
                            serverUri, telemetry, Topics.ALL_STATUS);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable ex) {
                    subscribeFailed(reconnect, serverUri, ex);
                }
            });
        } catch (MqttException ex) {
            subscribeFailed(reconnect, serverUri, ex);
        }
    }

    private void subscribeFailed(boolean reconnect, String serverUri, Throwable ex) {
        LOG.errorf("cannot subscribe to telemetry at %s: %s; trying again in 5.0 s", serverUri, ex.toString());
        if (!connector.isShutdown()) {
            connector.schedule(() -> {
                if (client.isConnected()) {
                    subscribe(reconnect, serverUri);
                }
            }, 5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        subscribed = false;
        LOG.warnf("lost the connection to MQTT broker %s: %s; reconnecting", uri, cause == null ? "?" : cause.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
        Runnable ack = ack(message.getId(), message.getQos());
        Inbound m;
        try {
            m = MessageParser.parse(topic, message.getPayload(), ack);
        } catch (RejectedMessage r) {
            metrics.message(Topics.parse(topic).map(Topics.DeviceTopic::kind).orElse(null), r.result());
            if (r.result() == IngestResult.IGNORED) {
                LOG.debugf("ignored a message on %s: %s", topic, r.getMessage());
            } else {
                LOG.warnf("dropped a message on %s (%s): %s", topic, r.result().tag(), r.getMessage());
            }
            ack.run();
            return;
        }
        writer.offer(m);
    }

    /** Acknowledges on the connection the message came in on; after a reconnect the broker redelivers instead. */
    private Runnable ack(int messageId, int qos) {
        long on = connection.get();
        return () -> {
            MqttAsyncClient c = client;
            if (qos == 0 || on != connection.get() || c == null) {
                return;
            }
            try {
                c.messageArrivedComplete(messageId, qos);
            } catch (MqttException ex) {
                LOG.debugf("cannot acknowledge message %d: %s", messageId, ex.toString());
            }
        };
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // the controller publishes nothing
    }
}
