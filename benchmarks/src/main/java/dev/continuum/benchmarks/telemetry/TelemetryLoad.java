package dev.continuum.benchmarks.telemetry;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.DeviceVitals;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.OutboxStats;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Telemetry load generator (a benchmark, not a test). In {@code controller} mode it inserts simulated
 * devices into the controller's PostgreSQL database, publishes realistic telemetry batches for them
 * with QoS 1 from several MQTT connections for a fixed time, and reports the rate the broker
 * acknowledged and the rate the controller ingested (batches and raw rows per second, from its
 * tables), plus the controller's mean write batch and write time from its metrics. In {@code broker}
 * mode the same publishers write to a topic only a counting subscriber reads: the broker's own
 * throughput to one QoS 1 subscriber, for comparison. See docs/benchmarks.md.
 */
public final class TelemetryLoad {
    private TelemetryLoad() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (o.mode().equals("broker")) {
            brokerOnly(o);
        } else {
            controller(o);
        }
    }

    private static void controller(LoadOptions o) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (FleetTable fleet = new FleetTable(o.jdbc(), o.dbUser(), o.dbPassword(), "bench-" + run + "-")) {
            fleet.insertDevices(o.devices());
            double[] before = writeMetrics(o.metricsUrl());
            AtomicLongArray sequences = new AtomicLongArray(o.devices());
            int perPublisher = o.devices() / o.publishers();
            long start = System.nanoTime();
            long end = start + o.duration().toNanos();
            List<Publisher> publishers = new ArrayList<>();
            for (int p = 0; p < o.publishers(); p++) {
                int first = p * perPublisher;
                int count = p == o.publishers() - 1 ? o.devices() - first : perPublisher;
                Random random = new Random(p);
                publishers.add(new Publisher(o.broker(), "bench-" + run + "-pub-" + p, o.inflight(), n -> {
                    int device = first + (int) (n % count);
                    String id = fleet.deviceId(device);
                    return new Publisher.Message("continuum/v1/devices/" + id + "/telemetry",
                            batch(id, sequences.incrementAndGet(device), o.models(), random).toByteArray());
                }, end, o.rate() / o.publishers()));
            }
            long published = runAll(publishers, o);
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            long atEnd = fleet.batches();
            long drainStart = System.nanoTime();
            long ingested = atEnd;
            while (ingested < published && System.nanoTime() - drainStart < o.drainTimeout().toNanos()) {
                Thread.sleep(200);
                ingested = fleet.batches();
            }
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            long raw = fleet.rawRows();
            double[] after = writeMetrics(o.metricsUrl());
            System.out.printf("controller ingest: %d devices, %d publishers x %d in flight, %d models per batch, %d s%n",
                    o.devices(), o.publishers(), o.inflight(), o.models(), o.duration().toSeconds());
            System.out.printf("  published (acknowledged by the broker): %d batches, %.0f batches/s%n", published,
                    published / publishSeconds);
            System.out.printf("  ingested when publishing stopped: %d (%d behind)%n", atEnd, published - atEnd);
            System.out.printf("  ingested: %d batches in %.1f s: %.0f batches/s, %.0f raw rows/s%s%n", ingested,
                    ingestSeconds, ingested / ingestSeconds, raw / ingestSeconds,
                    ingested < published ? " (gave up waiting: " + (published - ingested) + " missing)" : "");
            if (before != null && after != null && after[1] > before[1]) {
                double txs = after[1] - before[1];
                System.out.printf("  controller: %.0f write transactions, mean %.1f messages and %.1f ms each%n", txs,
                        (after[0] - before[0]) / txs, (after[2] - before[2]) * 1000 / txs);
            }
            if (!o.keep()) {
                fleet.cleanUp();
            }
        }
    }

    private static void brokerOnly(LoadOptions o) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "continuum-bench/" + run + "/sink";
        AtomicLong received = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        MqttAsyncClient sub = new MqttAsyncClient(o.broker(), "bench-" + run + "-sub", new MemoryPersistence());
        MqttConnectOptions co = new MqttConnectOptions();
        co.setCleanSession(true);
        co.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        sub.connect(co).waitForCompletion(10_000);
        sub.subscribe(topic, 1, (t, m) -> {
            received.incrementAndGet();
            lastNanos.set(System.nanoTime());
        }).waitForCompletion(10_000);
        long start = System.nanoTime();
        long end = start + o.duration().toNanos();
        byte[] payload = batch("bench-" + run + "-0", 1, o.models(), new Random(1)).toByteArray();
        List<Publisher> publishers = new ArrayList<>();
        for (int p = 0; p < o.publishers(); p++) {
            publishers.add(new Publisher(o.broker(), "bench-" + run + "-pub-" + p, o.inflight(),
                    n -> new Publisher.Message(topic, payload), end, o.rate() / o.publishers()));
        }
        long published = runAll(publishers, o);
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        long drainStart = System.nanoTime();
        while (received.get() < published && System.nanoTime() - drainStart < o.drainTimeout().toNanos()) {
            Thread.sleep(100);
        }
        double receiveSeconds = (lastNanos.get() - start) / 1e9;
        System.out.printf("broker only: %d publishers x %d in flight, %d-byte payload, %d s, one QoS 1 subscriber%n",
                o.publishers(), o.inflight(), payload.length, o.duration().toSeconds());
        System.out.printf("  published (acknowledged): %d msgs, %.0f msgs/s%n", published, published / publishSeconds);
        System.out.printf("  received by the subscriber: %d msgs in %.1f s, %.0f msgs/s%n", received.get(), receiveSeconds,
                received.get() / receiveSeconds);
        sub.disconnect().waitForCompletion(5_000);
        sub.close();
    }

    private static long runAll(List<Publisher> publishers, LoadOptions o) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Publisher p : publishers) {
            Thread t = new Thread(p, "publisher");
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long acked = 0;
        long failed = 0;
        for (Publisher p : publishers) {
            p.close(o.inflight());
            acked += p.acked.get();
            failed += p.failed.get();
        }
        if (failed > 0) {
            System.out.printf("  %d publishes failed%n", failed);
        }
        return acked;
    }

    /** A batch like an agent's: per model an EDGE row with a latency histogram of 20..200 requests, and vitals. */
    static TelemetryBatch batch(String deviceId, long sequence, int models, Random random) {
        long now = System.currentTimeMillis();
        TelemetryBatch.Builder b = TelemetryBatch.newBuilder().setDeviceId(deviceId).setSequence(sequence)
                .setWindowStartMillis(now - 5000).setWindowEndMillis(now);
        for (int m = 0; m < models; m++) {
            MergeableHistogram h = new MergeableHistogram();
            int requests = 20 + random.nextInt(180);
            for (int i = 0; i < requests; i++) {
                h.record((long) (2000 * Math.exp(random.nextGaussian() * 0.5)));
            }
            b.addModels(ModelTelemetry.newBuilder().setModel("bench-model-" + m).setVersion("1")
                    .setPlacement(Placement.EDGE).setRequests(requests).setErrors(random.nextInt(2))
                    .setLatency(h.toProto()));
        }
        b.setVitals(DeviceVitals.newBuilder().setCpuLoad(random.nextDouble()).setMemoryUsedBytes(200_000_000)
                .setMemoryTotalBytes(1_000_000_000).setRttP50Micros(20_000).setRttP95Micros(45_000)
                .setUplinkBytesPerSecond(1_000_000));
        b.setOutbox(OutboxStats.newBuilder().setDroppedBatchesTotal(0).setBacklogBatches(0));
        return b.build();
    }

    /** {messages written, write transactions, write seconds} from the controller's metrics, or null. */
    private static double[] writeMetrics(String url) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return new double[] {metric(text, "continuum_telemetry_write_batch_messages_sum"),
                    metric(text, "continuum_telemetry_write_batch_messages_count"),
                    metric(text, "continuum_telemetry_write_seconds_sum")};
        } catch (Exception e) {
            return null;
        }
    }

    private static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }
}
