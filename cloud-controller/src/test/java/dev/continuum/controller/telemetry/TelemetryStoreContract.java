package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.telemetry.ingest.IngestProbe;
import dev.continuum.controller.telemetry.ingest.IngestResult;
import dev.continuum.controller.telemetry.ingest.TelemetryStore;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryBatch;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry store and the aggregates API without a broker in between: exactly-once counting
 * within one write, concurrent writers on the same rollup rows, retention, vitals, and the
 * problems the API answers. Run against each datastore by its subclasses.
 */
abstract class TelemetryStoreContract {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestData data;

    @Inject
    TelemetryStore store;

    @Inject
    TelemetryQueries queries;

    @Inject
    TelemetryRowsProbe rows;

    String viewer;

    @BeforeEach
    void reset() {
        data.reset();
        viewer = Api.token("viewer");
        Api.publish(Api.ADMIN_TOKEN, Onnx.reshape("det-1")).put("/api/v1/models/det/versions/1").then().statusCode(201);
    }

    String device(String id) {
        Api.admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", id)).post("/api/v1/devices")
                .then().statusCode(201);
        return id;
    }

    static TelemetryBatch batch(String device, long seq, Instant at, long requests) {
        return Batches.of(device, seq, at).model("det", "1", Placement.EDGE, requests, 0, 1000 + seq).build();
    }

    JsonNode get(String path, Instant since, Instant until) throws Exception {
        return JSON.readTree(Api.as(viewer).queryParam("since", since.toString()).queryParam("until", until.toString())
                .get(path).then().statusCode(200).extract().asString());
    }

    @Test
    void theSameBatchTwiceInOneWriteIsCountedOnceAndUnknownDevicesAreDropped() {
        String d = device("store-dup");
        Instant at = Instant.now().minusSeconds(60);
        List<IngestResult> r = IngestProbe.write(store, Instant.now(), List.of(batch(d, 1, at, 5), batch(d, 1, at, 5),
                batch(d, 2, at, 1), batch("store-nobody", 1, at, 9)));
        assertThat(r).containsExactly(IngestResult.ACCEPTED, IngestResult.DUPLICATE, IngestResult.ACCEPTED,
                IngestResult.UNKNOWN_DEVICE);
        assertThat(IngestProbe.write(store, Instant.now(), List.of(batch(d, 2, at, 1))))
                .containsExactly(IngestResult.DUPLICATE);
        assertThat(rows.raw(d)).isEqualTo(2);
        assertThat(rows.rollupRequests(d)).isEqualTo(6);
        assertThat(rows.raw("store-nobody")).isZero();
    }

    @Test
    void twoWritersAddingToTheSameMinuteLoseNothing() throws Exception {
        String d = device("store-race");
        Instant minute = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MINUTES);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        long seq = 1 + writer * 40L + i;
                        IngestProbe.write(store, Instant.now(), List.of(batch(d, seq, minute.plusSeconds(i % 50), 2)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows.rollups(d)).isEqualTo(1);
        assertThat(rows.rollupRequests(d)).isEqualTo(160);
        Aggregate a = queries.aggregate("det", "1", List.of(d), minute, minute.plus(Duration.ofMinutes(1)));
        assertThat(a.requests()).isEqualTo(160);
        assertThat(a.latencySamples()).isEqualTo(80);
    }

    @Test
    void batchesOlderThanTheRawRetentionAreKeptAsRollupsAndRetentionDeletesWhatAged() throws Exception {
        String d = device("store-old");
        Instant now = Instant.now();
        Instant twoDaysAgo = now.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS).plusMillis(17_250);
        assertThat(IngestProbe.write(store, now, List.of(batch(d, 1, twoDaysAgo, 4), batch(d, 2, now.minusSeconds(10), 3),
                batch(d, 3, now.minus(Duration.ofDays(31)), 99)))).containsExactly(IngestResult.ACCEPTED,
                IngestResult.ACCEPTED, IngestResult.EXPIRED);
        assertThat(rows.raw(d)).as("only the recent batch has raw rows").isEqualTo(1);
        assertThat(rows.rollups(d)).isEqualTo(2);

        // beyond the raw retention the window is widened to whole minutes and read from the rollups
        Instant since = twoDaysAgo.minusSeconds(5);
        JsonNode old = get("/api/v1/devices/" + d + "/telemetry", since, now.minus(Duration.ofDays(1)));
        assertThat(old.path("requests").asLong()).isEqualTo(4);
        assertThat(old.path("since").asText()).isEqualTo(since.truncatedTo(ChronoUnit.MINUTES).toString());
        assertThat(get("/api/v1/devices/" + d + "/telemetry", now.minus(Duration.ofDays(3)), now)
                .path("requests").asLong()).isEqualTo(7);

        store.deleteExpired(now.plus(Duration.ofDays(2)));
        assertThat(rows.raw(d)).isZero();
        assertThat(rows.rollups(d)).isEqualTo(2);
        store.deleteExpired(now.plus(Duration.ofDays(29)));
        assertThat(rows.rollups(d)).as("the recent minute is still within 30 days").isEqualTo(1);
        store.deleteExpired(now.plus(Duration.ofDays(31)));
        assertThat(rows.rollups(d)).isZero();
    }

    @Test
    void theVitalsOfEachDevicesNewestBatchAreKept() throws Exception {
        String d = device("store-vitals");
        Instant at = Instant.now().minusSeconds(30);
        IngestProbe.write(store, Instant.now(), List.of(Batches.of(d, 5, at).vitals(0.5, 20_000, 45_000, 1_000_000, 3).build()));
        IngestProbe.write(store, Instant.now(), List.of(Batches.of(d, 4, at.minusSeconds(5)).vitals(0.9, 1, 2, 3, 1).build()));
        DeviceVitalsView v = queries.latestVitals(d).orElseThrow();
        assertThat(v.sequence()).isEqualTo(5);
        assertThat(v.cpuLoad()).isEqualTo(0.5);
        assertThat(v.rttP50Micros()).isEqualTo(20_000);
        assertThat(v.rttP95Micros()).isEqualTo(45_000);
        assertThat(v.uplinkBytesPerSecond()).isEqualTo(1_000_000);
        assertThat(v.outboxDroppedTotal()).isEqualTo(3);
        IngestProbe.write(store, Instant.now(), List.of(Batches.of(d, 6, at.plusSeconds(5)).vitals(-1, 0, 0, 0, 3).build()));
        JsonNode vitals = get("/api/v1/devices/" + d + "/telemetry", at.minusSeconds(60), Instant.now()).path("vitals");
        assertThat(vitals.path("sequence").asLong()).isEqualTo(6);
        assertThat(vitals.path("cpuLoad").isNull()).as("negative load means unknown").isTrue();
        assertThat(vitals.path("rttP95Micros").isNull()).isTrue();
        assertThat(queries.latestVitals(List.of(d, "store-no-vitals"))).containsOnlyKeys(d);
    }

    @Test
    void badWindowsAndUnknownResourcesAreProblemsNamingTheParameter() {
        String d = device("store-problems");
        String path = "/api/v1/devices/" + d + "/telemetry";
        Api.as(viewer).queryParam("since", "yesterday").get(path).then().statusCode(400)
                .contentType("application/problem+json").body("field", org.hamcrest.Matchers.equalTo("since"))
                .body("detail", org.hamcrest.Matchers.containsString("ISO-8601"));
        Api.as(viewer).queryParam("until", "2024-13-01T00:00:00Z").get(path).then().statusCode(400)
                .contentType("application/problem+json").body("field", org.hamcrest.Matchers.equalTo("until"));
        Api.as(viewer).queryParam("since", "2024-05-02T00:00:00Z").queryParam("until", "2024-05-01T00:00:00Z")
                .get(path).then().statusCode(400).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo("since"))
                .body("detail", org.hamcrest.Matchers.containsString("after until"));
        Api.as(viewer).queryParam("since", "2024-05-01T00:00:00Z").queryParam("until", "2024-05-01T00:00:00Z")
                .get(path).then().statusCode(200).body("requests", org.hamcrest.Matchers.equalTo(0));
        Api.as(viewer).get(path).then().statusCode(200).body("models.size()", org.hamcrest.Matchers.equalTo(0));
        Api.as(viewer).get("/api/v1/devices/nope/telemetry").then().statusCode(404)
                .contentType("application/problem+json").body("field", org.hamcrest.Matchers.equalTo("id"));
        Api.as(viewer).get("/api/v1/models/nope/versions/1/telemetry").then().statusCode(404)
                .contentType("application/problem+json").body("field", org.hamcrest.Matchers.equalTo("name"));
        Api.as(viewer).get("/api/v1/models/det/versions/9/telemetry").then().statusCode(404)
                .contentType("application/problem+json").body("field", org.hamcrest.Matchers.equalTo("version"));
        Api.as(viewer).queryParam("since", "x").get("/api/v1/models/det/versions/1/telemetry").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("since"));
        io.restassured.RestAssured.get(path).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void everyIndexOfTheRollupsHoldsTheWholeKey() {
        // the writer updates rollup rows by their key: whichever index the planner takes must find one row
        Map<String, List<String>> indexes = rows.indexColumns("telemetry_rollups");
        assertThat(indexes).hasSize(3);
        indexes.forEach((name, columns) -> assertThat(columns).as(name)
                .containsExactlyInAnyOrder("device_id", "minute_start", "model_name", "version", "placement"));
    }
}
