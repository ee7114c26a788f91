package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.MosquittoCondition;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.telemetry.Topics.Kind;
import dev.continuum.controller.telemetry.ingest.IngestMetrics;
import dev.continuum.controller.telemetry.ingest.IngestResult;
import dev.continuum.controller.telemetry.ingest.TelemetryIngest;
import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.DeviceStatus;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Telemetry from devices through a real MQTT broker (the Mosquitto at 127.0.0.1:1883, the controller
 * in external mode) to the aggregates API; run against each datastore by its subclasses.
 */
abstract class TelemetryContract {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL controller;

    @Inject
    TestData data;

    @Inject
    IngestMetrics metrics;

    @Inject
    TelemetryIngest ingest;

    @Inject
    TelemetryQueries queries;

    TestDevices devices;
    String viewer;
    final List<DevicePublisher> publishers = new ArrayList<>();

    @BeforeEach
    void reset() {
        data.reset();
        viewer = Api.token("viewer");
        devices = new TestDevices(controller);
        Api.publish(Api.ADMIN_TOKEN, Onnx.reshape("det-1")).put("/api/v1/models/det/versions/1").then().statusCode(201);
        Api.publish(Api.ADMIN_TOKEN, Onnx.reshape("det-2")).put("/api/v1/models/det/versions/2").then().statusCode(201);
        await().atMost(WAIT).until(ingest::ready);
    }

    @AfterEach
    void close() {
        publishers.forEach(DevicePublisher::close);
        devices.close();
    }

    DevicePublisher publisher(EnrolResponse d) throws Exception {
        DevicePublisher p = DevicePublisher.connect(MosquittoCondition.URI, d.getDeviceId(), d.getCredential());
        publishers.add(p);
        return p;
    }

    JsonNode get(String path, Instant since, Instant until) throws Exception {
        String body = Api.as(viewer).queryParam("since", since.toString()).queryParam("until", until.toString())
                .get(path).then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    static double millis(MergeableHistogram h, double q) {
        return Math.round(h.quantileMicros(q)) / 1000.0;
    }

    static long[] range(long from, long step, int n) {
        return LongStream.range(0, n).map(i -> from + i * step).toArray();
    }

    @Test
    void countsAndQuantilesAreExactlyTheSumsOfThePublishedBatches() throws Exception {
        EnrolResponse d1 = devices.enrol("cam-1");
        EnrolResponse d2 = devices.enrol("cam-2");
        EnrolResponse d3 = devices.enrol("cam-3");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant tenMinutesAgo = now.minus(Duration.ofMinutes(10));
        long[] edge1 = range(1_000, 1_000, 10);
        long[] cloud1 = range(50_000, 10_000, 4);
        long[] edge1b = range(3_000, 500, 5);
        long[] edge2 = range(20_000, 7_000, 7);
        // minutes ago: read from the rollups; seconds ago: from the raw rows of the window's last, partial minute
        DevicePublisher p1 = publisher(d1);
        p1.telemetry(d1.getDeviceId(), Batches.of(d1.getDeviceId(), 1, tenMinutesAgo)
                .model("det", "1", Placement.EDGE, 10, 1, edge1).model("det", "1", Placement.CLOUD, 4, 0, cloud1)
                .model("det", "2", Placement.EDGE, 3, 0, 700, 800, 900).bytes());
        p1.telemetry(d1.getDeviceId(), Batches.of(d1.getDeviceId(), 2, tenMinutesAgo.plusSeconds(5))
                .model("det", "1", Placement.EDGE, 5, 2, edge1b).bytes());
        publisher(d2).telemetry(d2.getDeviceId(), Batches.of(d2.getDeviceId(), 1, now.minusSeconds(2))
                .model("det", "1", Placement.EDGE, 7, 0, edge2).bytes());
        publisher(d3).telemetry(d3.getDeviceId(), Batches.of(d3.getDeviceId(), 1, now.minusSeconds(2))
                .model("det", "2", Placement.CLOUD, 6, 6).bytes());

        Instant since = tenMinutesAgo.minusSeconds(90);
        Instant until = Instant.now().plusSeconds(1);
        String det1 = "/api/v1/models/det/versions/1/telemetry";
        await().atMost(WAIT).until(() -> get(det1, since, until).path("requests").asLong() == 26
                && get("/api/v1/models/det/versions/2/telemetry", since, until).path("requests").asLong() == 9);

        MergeableHistogram all = new MergeableHistogram();
        LongStream.of(edge1).forEach(all::record);
        LongStream.of(cloud1).forEach(all::record);
        LongStream.of(edge1b).forEach(all::record);
        LongStream.of(edge2).forEach(all::record);
        JsonNode m = get(det1, since, until);
        assertThat(m.path("errors").asLong()).isEqualTo(3);
        assertThat(m.path("offloaded").asLong()).isEqualTo(4);
        assertThat(m.path("p50Millis").asDouble()).isEqualTo(millis(all, 0.50));
        assertThat(m.path("p95Millis").asDouble()).isEqualTo(millis(all, 0.95));
        assertThat(m.path("p99Millis").asDouble()).isEqualTo(millis(all, 0.99));
        // the true p95 of the 26 values (nearest rank: the 25th) is 70 ms; the histogram is within one bucket (9%)
        assertThat(m.path("p95Millis").asDouble()).isBetween(70 / 1.0905, 70 * 1.0905);
        assertThat(m.path("since").asText()).isEqualTo(since.toString());
        assertThat(m.path("devices")).hasSize(2);
        assertThat(m.path("devices").get(0).path("deviceId").asText()).isEqualTo(
                d1.getDeviceId().compareTo(d2.getDeviceId()) < 0 ? d1.getDeviceId() : d2.getDeviceId());
        JsonNode byD2 = m.path("devices").get(m.path("devices").get(0).path("deviceId").asText().equals(d2.getDeviceId()) ? 0 : 1);
        assertThat(byD2.path("requests").asLong()).isEqualTo(7);

        JsonNode dev = get("/api/v1/devices/" + d1.getDeviceId() + "/telemetry", since, until);
        assertThat(dev.path("requests").asLong()).isEqualTo(22);
        assertThat(dev.path("errors").asLong()).isEqualTo(3);
        assertThat(dev.path("offloaded").asLong()).isEqualTo(4);
        assertThat(dev.path("models")).hasSize(2);
        assertThat(dev.path("models").get(0).path("version").asText()).isEqualTo("1");
        assertThat(dev.path("models").get(0).path("requests").asLong()).isEqualTo(19);
        assertThat(dev.path("models").get(1).path("p50Millis").asDouble()).isEqualTo(
                millis(MergeableHistogram.of(Batches.of("x", 1, now).model("det", "2", Placement.EDGE, 3, 0, 700, 800, 900)
                        .build().getModels(0).getLatency()), 0.5));
        JsonNode d3Json = get("/api/v1/devices/" + d3.getDeviceId() + "/telemetry", since, until);
        assertThat(d3Json.path("errors").asLong()).isEqualTo(6);
        assertThat(d3Json.path("p50Millis").isNull()).as("no request was timed").isTrue();

        // the plain-Java aggregate that placement and rollout gates read
        Aggregate onlyD2 = queries.aggregate("det", "1", Set.of(d2.getDeviceId()), since, until);
        assertThat(onlyD2.requests()).isEqualTo(7);
        assertThat(onlyD2.p50Micros()).isEqualTo(MergeableHistogram.of(Batches.of("x", 1, now)
                .model("det", "1", Placement.EDGE, 7, 0, edge2).build().getModels(0).getLatency()).quantileMicros(0.5));
        assertThat(queries.aggregate("det", "1", null, since, until).requests()).isEqualTo(26);
        assertThat(queries.aggregate("det", "1", Set.of(), since, until)).isEqualTo(Aggregate.EMPTY);
        assertThat(get(det1, since.minus(Duration.ofHours(1)), since).path("requests").asLong()).isZero();
    }

    @Test
    void aBatchPublishedTwiceIsCountedOnce() throws Exception {
        EnrolResponse d = devices.enrol("twice");
        double duplicatesBefore = metrics.count(Kind.TELEMETRY, IngestResult.DUPLICATE);
        Instant at = Instant.now().minusSeconds(30);
        byte[] first = Batches.of(d.getDeviceId(), 1, at).model("det", "1", Placement.EDGE, 5, 1, 1000).bytes();
        DevicePublisher p = publisher(d);
        p.telemetry(d.getDeviceId(), first);
        p.telemetry(d.getDeviceId(), first);
        p.telemetry(d.getDeviceId(), Batches.of(d.getDeviceId(), 2, at.plusSeconds(5))
                .model("det", "1", Placement.EDGE, 2, 0, 2000).bytes());
        Instant since = at.minusSeconds(60);
        await().atMost(WAIT).until(() -> metrics.count(Kind.TELEMETRY, IngestResult.DUPLICATE) - duplicatesBefore >= 1
                && get("/api/v1/devices/" + d.getDeviceId() + "/telemetry", since, Instant.now())
                .path("requests").asLong() == 7);
        JsonNode j = get("/api/v1/devices/" + d.getDeviceId() + "/telemetry", since, Instant.now());
        assertThat(j.path("requests").asLong()).isEqualTo(7);
        assertThat(j.path("errors").asLong()).isEqualTo(1);
        assertThat(metrics.count(Kind.TELEMETRY, IngestResult.DUPLICATE) - duplicatesBefore).isEqualTo(1);
    }

    @Test
    void malformedUnknownAndMisaddressedMessagesAreDroppedAndCountedWhileIngestionGoesOn() throws Exception {
        EnrolResponse a = devices.enrol("a");
        EnrolResponse b = devices.enrol("b");
        double malformed = metrics.count(Kind.TELEMETRY, IngestResult.MALFORMED);
        double unknown = metrics.count(Kind.TELEMETRY, IngestResult.UNKNOWN_DEVICE);
        double mismatch = metrics.count(Kind.TELEMETRY, IngestResult.DEVICE_MISMATCH);
        Instant at = Instant.now().minusSeconds(20);
        DevicePublisher pa = publisher(a);
        pa.telemetry(a.getDeviceId(), Onnx.garbage(64, 7));
        String stranger = "dev-not-enrolled-" + ExternalBroker.RUN;
        DevicePublisher ps = DevicePublisher.connect(MosquittoCondition.URI, stranger, "whatever");
        publishers.add(ps);
        ps.telemetry(stranger, Batches.of(stranger, 1, at).model("det", "1", Placement.EDGE, 100, 0, 5).bytes());
        pa.telemetry(a.getDeviceId(), Batches.of(b.getDeviceId(), 1, at).model("det", "1", Placement.EDGE, 50, 0, 5).bytes());
        pa.telemetry(a.getDeviceId(), Batches.of(a.getDeviceId(), 1, at).model("det", "1", Placement.EDGE, 3, 0, 5).bytes());

        Instant since = at.minusSeconds(60);
        await().atMost(WAIT).until(() -> get("/api/v1/devices/" + a.getDeviceId() + "/telemetry", since, Instant.now())
                .path("requests").asLong() == 3
                && metrics.count(Kind.TELEMETRY, IngestResult.UNKNOWN_DEVICE) > unknown);
        assertThat(metrics.count(Kind.TELEMETRY, IngestResult.MALFORMED)).isGreaterThan(malformed);
        assertThat(metrics.count(Kind.TELEMETRY, IngestResult.DEVICE_MISMATCH)).isGreaterThan(mismatch);
        assertThat(get("/api/v1/devices/" + b.getDeviceId() + "/telemetry", since, Instant.now()).path("requests")
                .asLong()).isZero();
        assertThat(get("/api/v1/models/det/versions/1/telemetry", since, Instant.now()).path("requests").asLong())
                .isEqualTo(3);
    }

    @Test
    void theStatusTopicTurnsADeviceOnlineAndItsLastWillOffline() throws Exception {
        EnrolResponse d = devices.enrol("status");
        String path = "/api/v1/devices/" + d.getDeviceId();
        assertThat(Api.as(viewer).get(path).then().statusCode(200).extract().<Boolean>path("status.online")).isFalse();
        DevicePublisher p = DevicePublisher.connect(MosquittoCondition.URI, d.getDeviceId(), d.getCredential(), true);
        p.status(d.getDeviceId(), DeviceStatus.State.ONLINE);
        await().atMost(WAIT).until(() -> Api.as(viewer).get(path).then().extract().<Boolean>path("status.online"));
        String onlineSince = Api.as(viewer).get(path).then().extract().path("status.onlineChangedAt");
        assertThat(onlineSince).isNotNull();

        p.vanish(); // the broker publishes the last will: OFFLINE
        await().atMost(WAIT).until(() -> !Api.as(viewer).get(path).then().extract().<Boolean>path("status.online"));
        assertThat(Api.as(viewer).get(path).then().extract().<String>path("status.onlineChangedAt")).isNotEqualTo(onlineSince);

        try (DevicePublisher cleaner = publisher(d)) { // clear the retained status on the shared broker
            cleaner.publish("continuum/v1/devices/" + d.getDeviceId() + "/status", new byte[0], true);
        }
    }

    @Test
    void enrolmentAndDesiredStateHandOutTheTelemetryEndpoint() throws Exception {
        EnrolResponse d = devices.enrol("endpoint");
        assertThat(d.getTelemetry().getBrokerUri()).isEqualTo(MosquittoCondition.URI);
        assertThat(d.getTelemetry().getIntervalMillis()).isEqualTo(5000);
        assertThat(devices.firstMessage(d.getCredential()).getDesiredState().getTelemetry()).isEqualTo(d.getTelemetry());
    }

    @Test
    void ingestOutcomesAndTrafficArePrometheusMetrics() throws Exception {
        EnrolResponse d = devices.enrol("metrics");
        publisher(d).telemetry(d.getDeviceId(), Batches.of(d.getDeviceId(), 1, Instant.now().minusSeconds(5))
                .model("det", "2", Placement.EDGE, 4, 1, 100).bytes());
        await().atMost(WAIT).until(() -> metrics.count(Kind.TELEMETRY, IngestResult.ACCEPTED) > 0);
        String text = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text).contains("continuum_telemetry_messages_total{result=\"accepted\",topic=\"telemetry\"}")
                .contains("continuum_telemetry_model_requests_total{model=\"det\",version=\"2\"}")
                .contains("continuum_telemetry_model_errors_total{model=\"det\",version=\"2\"}")
                .contains("continuum_telemetry_devices_online")
                .contains("continuum_telemetry_broker_connected 1.0")
                .contains("continuum_telemetry_write_batch_messages_count")
                .contains("continuum_telemetry_write_seconds_count");
    }
}
