package dev.continuum.agent.telemetry;

import dev.continuum.agent.link.Backoff;
import dev.continuum.agent.link.Identity;
import dev.continuum.proto.v1.DeviceStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Sends the {@link Outbox} to the MQTT broker, oldest first, one batch in flight: publish with
 * QoS 1 on {@code continuum/v1/devices/{id}/telemetry}, and acknowledge the entry in the outbox only
 * when Paho reports its delivery complete (the broker's PUBACK). So every batch reaches the broker
 * at least once, in sequence order; a batch whose PUBACK was lost with the connection is sent again.
 *
 * <p>Connects with username = device id, password = device credential and a clean session (the
 * outbox, not the broker, is the durable store), with a retained last will {@code OFFLINE} on
 * {@code .../status}; publishes a retained {@code ONLINE} there once connected and {@code OFFLINE}
 * on a clean stop. An explicit loop reconnects with exponential backoff and jitter, logging
 * "telemetry broker unreachable (...), reconnecting in 4.0 s". With no broker known it waits, the
 * batches queueing in the outbox; when the broker changes it leaves the old one cleanly.
 */
final class MqttSender {
    private static final Logger LOG = Logger.getLogger(MqttSender.class.getName());
    private static final long ACK_TIMEOUT_MILLIS = 30_000;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final int KEEP_ALIVE_SECONDS = 30;

    private final Outbox outbox;
    private final Supplier<Identity> identity;
    private final Supplier<URI> broker;
    private final Backoff backoff;
    private final String agentVersion;
    private final BlockingQueue<Boolean> wakeups = new ArrayBlockingQueue<>(1);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread thread;
    private volatile long stopDeadlineNanos;
    private volatile boolean connected;
    private volatile String state = "not started";
    private boolean noBrokerLogged;

    /** Why a connection ended, other than a stop. */
    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    /** One connection's callbacks: delivery completes the publish's future; a loss is remembered. */
    private final class Connection implements MqttCallback {
        volatile Throwable lost;

        @Override
        public void connectionLost(Throwable cause) {
            lost = cause;
            wake();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // the agent subscribes to nothing
        }

        @Override
        @SuppressWarnings("unchecked")
        public void deliveryComplete(IMqttDeliveryToken token) {
            if (token.getUserContext() instanceof CompletableFuture<?> f) {
                ((CompletableFuture<Object>) f).complete(token);
            }
        }
    }

    MqttSender(Outbox outbox, Supplier<Identity> identity, Supplier<URI> broker, Backoff backoff, String agentVersion) {
        this.outbox = outbox;
        this.identity = identity;
        this.broker = broker;
        this.backoff = backoff;
        this.agentVersion = agentVersion;
    }

    static String telemetryTopic(String deviceId) {
        return "continuum/v1/devices/" + deviceId + "/telemetry";
    }

    static String statusTopic(String deviceId) {
        return "continuum/v1/devices/" + deviceId + "/status";
    }

    void start() {
        thread = new Thread(this::run, "agent-telemetry-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** There may be something new to send (or a broker to connect to). */
    void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    /**
     * Stops after sending what the outbox holds, for at most {@code drain}, then publishes OFFLINE and
     * disconnects. The thread is never interrupted (an interrupt would close the outbox's files).
     */
    void stop(Duration drain) {
        if (thread == null) {
            return;
        }
        stopDeadlineNanos = System.nanoTime() + drain.toNanos();
        stopping.countDown();
        wake();
        try {
            thread.join(drain.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning("telemetry sender did not stop in time; leaving it behind");
        }
        thread = null;
        connected = false;
        state = "stopped";
    }

    boolean connected() {
        return connected;
    }

    String state() {
        return state;
    }

    private boolean stopRequested() {
        return stopping.getCount() == 0;
    }

    private boolean pastStopDeadline() {
        return stopRequested() && System.nanoTime() - stopDeadlineNanos > 0;
    }

    private void run() {
        int attempt = 0;
        while (!stopRequested()) {
            Identity id = identity.get();
            URI uri = broker.get();
            if (id == null || uri == null) {
                waitForBroker(id);
                continue;
            }
            noBrokerLogged = false;
            String reason;
            MqttAsyncClient client = null;
            try {
                Connection conn = new Connection();
                client = connect(uri, id, conn);
                connected = true;
                state = "connected to " + uri;
                attempt = 0;
                LOG.info(() -> "telemetry: connected to broker " + uri + " as " + id.deviceId());
                pump(client, conn, uri, id);
                goOffline(client, id);
                client = null;
                continue;
            } catch (Unreachable e) {
                reason = e.getMessage();
            } finally {
                connected = false;
                if (client != null) {
                    dropConnection(client);
                }
            }
            if (stopRequested()) {
                break;
            }
            state = "broker " + uri + " unreachable: " + reason;
            Duration d = backoff.delay(attempt++);
            LOG.info(String.format(Locale.ROOT, "telemetry broker unreachable (%s: %s), reconnecting in %.1f s",
                    uri, reason, d.toNanos() / 1e9));
            try {
                stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void waitForBroker(Identity id) {
        state = id == null ? "waiting for enrolment" : "no broker known; batches are kept in the outbox";
        if (id != null && !noBrokerLogged) {
            noBrokerLogged = true;
            LOG.info("telemetry: no MQTT broker known (none from the controller, no telemetry-broker set); "
                    + "batches are kept in the outbox until there is one");
        }
        waitForWake(500);
    }

    private MqttAsyncClient connect(URI uri, Identity id, Connection conn) throws Unreachable {
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(uri.toString(), id.deviceId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new Unreachable("cannot use broker URI: " + describe(e));
        }
        client.setCallback(conn);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        o.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        o.setUserName(id.deviceId());
        o.setPassword(id.credential().toCharArray());
        o.setWill(statusTopic(id.deviceId()), status(id, DeviceStatus.State.OFFLINE, 0), 1, true);
        try {
            CompletableFuture<Object> done = new CompletableFuture<>();
            client.connect(o, null, listener(done));
            await(done, conn, (CONNECT_TIMEOUT_SECONDS + 1) * 1000L, "connect");
            CompletableFuture<Object> online = new CompletableFuture<>();
            client.publish(statusTopic(id.deviceId()), status(id, DeviceStatus.State.ONLINE, System.currentTimeMillis()),
                    1, true, online, null);
            await(online, conn, ACK_TIMEOUT_MILLIS, "status ONLINE");
            return client;
        } catch (MqttException | Unreachable e) {
            dropConnection(client);
            throw e instanceof Unreachable u ? u : new Unreachable(describe(e));
        }
    }

    /** Sends outbox entries in order until a stop or a change of broker. */
    private void pump(MqttAsyncClient client, Connection conn, URI uri, Identity id) throws Unreachable {
        String topic = telemetryTopic(id.deviceId());
        while (!pastStopDeadline() && uri.equals(broker.get())) {
            if (conn.lost != null) {
                throw new Unreachable("connection lost: " + describe(conn.lost));
            }
            Optional<Outbox.Entry> next;
            try {
                next = outbox.peek();
            } catch (IOException e) {
                throw new Unreachable("cannot read the outbox: " + e.getMessage());
            }
            if (next.isEmpty()) {
                if (stopRequested()) {
                    return;
                }
                waitForWake(500);
                continue;
            }
            Outbox.Entry e = next.get();
            CompletableFuture<Object> delivered = new CompletableFuture<>();
            try {
                client.publish(topic, e.payload(), 1, false, delivered, null);
            } catch (MqttException ex) {
                throw new Unreachable(describe(ex));
            }
            if (!await(delivered, conn, ACK_TIMEOUT_MILLIS, "batch " + e.sequence())) {
                return; // stopping: the batch stays in the outbox and is sent again next time
            }
            try {
                outbox.acknowledge(e.sequence());
            } catch (IOException ex) {
                throw new Unreachable("cannot record the delivery in the outbox: " + ex.getMessage());
            }
        }
    }

    /**
     * Waits for a publish or connect to complete: true when it did, false when the stop deadline
     * passed first.
     */
    private boolean await(CompletableFuture<Object> f, Connection conn, long timeoutMillis, String what)
            throws Unreachable {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try {
                f.get(100, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (conn.lost != null) {
                    throw new Unreachable("connection lost: " + describe(conn.lost));
                }
                if (System.nanoTime() - end > 0) {
                    throw new Unreachable(what + " not acknowledged within " + timeoutMillis / 1000 + " s");
                }
                if (pastStopDeadline()) {
                    return false;
                }
            } catch (ExecutionException e) {
                throw new Unreachable(describe(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unreachable("interrupted");
            }
        }
    }

    /** A clean departure: retained OFFLINE, then DISCONNECT (so the broker discards the last will). */
    private void goOffline(MqttAsyncClient client, Identity id) {
        try {
            CompletableFuture<Object> offline = new CompletableFuture<>();
            client.publish(statusTopic(id.deviceId()), status(id, DeviceStatus.State.OFFLINE, System.currentTimeMillis()),
                    1, true, offline, null);
            offline.get(2, TimeUnit.SECONDS);
            client.disconnect(1000).waitForCompletion(3000);
        } catch (Exception e) {
            LOG.fine(() -> "telemetry: leaving the broker uncleanly: " + e);
            dropConnection(client);
            return;
        }
        try {
            client.close();
        } catch (MqttException e) {
            LOG.fine(() -> "telemetry: closing the MQTT client: " + e);
        }
    }

    /** Ends a connection without DISCONNECT, so the broker publishes the last will. */
    private static void dropConnection(MqttAsyncClient client) {
        try {
            client.disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException e) {
            // already disconnected
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // nothing more to release
        }
    }

    private byte[] status(Identity id, DeviceStatus.State s, long sinceMillis) {
        return DeviceStatus.newBuilder().setDeviceId(id.deviceId()).setState(s).setAgentVersion(agentVersion)
                .setSinceMillis(sinceMillis).build().toByteArray();
    }

    private static IMqttActionListener listener(CompletableFuture<Object> done) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                done.complete(token);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                done.completeExceptionally(e);
            }
        };
    }

    private void waitForWake(long millis) {
        try {
            wakeups.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof MqttException m) {
            Throwable cause = m.getCause();
            return cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    : m.getMessage() + " (reason " + m.getReasonCode() + ")";
        }
        return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
