package dev.continuum.controller.telemetry.ingest;

import dev.continuum.controller.telemetry.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The telemetry meters at {@code /q/metrics}: {@code continuum_telemetry_messages_total{topic,result}},
 * {@code continuum_telemetry_write_batch_messages} (summary), {@code continuum_telemetry_write_seconds}
 * (timer), {@code continuum_telemetry_model_requests_total} / {@code _errors_total} {model, version},
 * {@code continuum_telemetry_devices_online} and {@code continuum_telemetry_queue_messages} (gauges).
 */
@ApplicationScoped
public class IngestMetrics {
    @Inject
    MeterRegistry registry;

    private final AtomicLong online = new AtomicLong();
    private DistributionSummary batchSize;
    private Timer writeTime;

    @PostConstruct
    void init() {
        batchSize = DistributionSummary.builder("continuum.telemetry.write.batch").baseUnit("messages")
                .description("Messages written per telemetry transaction").register(registry);
        writeTime = Timer.builder("continuum.telemetry.write").description("Time to write one telemetry transaction")
                .register(registry);
        registry.gauge("continuum.telemetry.devices.online", online);
    }

    public void message(Topics.Kind kind, IngestResult result) {
        Counter.builder("continuum.telemetry.messages").description("MQTT telemetry and status messages by outcome")
                .tag("topic", kind == null ? "other" : kind.suffix()).tag("result", result.tag())
                .register(registry).increment();
    }

    /** The count of messages with that outcome so far (for tests and the benchmark). */
    public double count(Topics.Kind kind, IngestResult result) {
        Counter c = registry.find("continuum.telemetry.messages").tag("topic", kind == null ? "other" : kind.suffix())
                .tag("result", result.tag()).counter();
        return c == null ? 0 : c.count();
    }

    void written(int messages, Duration took) {
        batchSize.record(messages);
        writeTime.record(took);
    }

    void modelTraffic(String model, String version, long requests, long errors) {
        Counter.builder("continuum.telemetry.model.requests").description("Requests reported by devices")
                .tag("model", model).tag("version", version).register(registry).increment(requests);
        Counter.builder("continuum.telemetry.model.errors").description("Failed requests reported by devices")
                .tag("model", model).tag("version", version).register(registry).increment(errors);
    }

    void brokerConnected(java.util.function.BooleanSupplier connected) {
        io.micrometer.core.instrument.Gauge.builder("continuum.telemetry.broker.connected", () -> connected.getAsBoolean() ? 1 : 0)
                .description("1 while the controller is connected and subscribed to the MQTT broker").register(registry);
    }

    void online(long devices) {
        online.set(devices);
    }

    void queue(java.util.concurrent.BlockingQueue<?> queue) {
        registry.gaugeCollectionSize("continuum.telemetry.queue", java.util.List.of(), queue);
    }
}
