package dev.continuum.benchmarks.telemetry;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT connection publishing QoS 1 messages as fast as its in-flight window allows (or at a fixed
 * rate), each built by {@code next} from a running counter; counts what the broker acknowledged.
 */
final class Publisher implements Runnable {
    /** A message to publish: topic and payload. */
    record Message(String topic, byte[] payload) {
    }

    private final MqttAsyncClient client;
    private final Semaphore window;
    private final LongFunction<Message> next;
    private final long endNanos;
    private final double ratePerSecond;
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    Publisher(String broker, String clientId, int inflight, LongFunction<Message> next, long endNanos,
              double ratePerSecond) throws MqttException {
        this.client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setMaxInflight(inflight);
        client.connect(o).waitForCompletion(10_000);
        this.window = new Semaphore(inflight);
        this.next = next;
        this.endNanos = endNanos;
        this.ratePerSecond = ratePerSecond;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long sent = 0;
        try {
            while (System.nanoTime() < endNanos) {
                if (ratePerSecond > 0) {
                    long due = start + (long) (sent * 1e9 / ratePerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Message m = next.apply(sent++);
                MqttMessage msg = new MqttMessage(m.payload());
                msg.setQos(1);
                client.publish(m.topic(), msg, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.incrementAndGet();
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        failed.incrementAndGet();
                        window.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MqttException e) {
            failed.incrementAndGet();
            System.err.println("publisher " + client.getClientId() + " stopped: " + e);
        }
    }

    /** Waits for the messages still in flight, then disconnects. */
    void close(int inflight) {
        try {
            window.tryAcquire(inflight, 30, TimeUnit.SECONDS);
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MqttException e) {
            // gone already
        }
    }
}
