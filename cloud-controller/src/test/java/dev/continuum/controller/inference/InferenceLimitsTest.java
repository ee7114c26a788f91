package dev.continuum.controller.inference;

import static dev.continuum.controller.inference.CloudLenet.MODEL;
import static dev.continuum.controller.inference.CloudLenet.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.support.Api;
import dev.continuum.proto.inference.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cloud inference under load, with one compute thread and one queue place (see {@link InferenceProfile}):
 * refusal with 503 beyond the limit, one load for concurrent first requests, and the measured
 * compute and queueing figures over REST and Prometheus.
 */
@QuarkusTest
@TestProfile(InferenceProfile.class)
class InferenceLimitsTest {
    private static final String INFER = "/v2/models/" + MODEL + "/versions/" + VERSION + "/infer";

    @TestHTTPResource("/")
    URL controller;

    @Inject
    TestInferenceHooks hooks;

    @Inject
    CloudInference inference;

    @Inject
    InferenceStats stats;

    private ManagedChannel channel;

    @BeforeEach
    void publish() {
        hooks.reset();
        CloudLenet.publish(VERSION);
        channel = CloudLenet.channel(controller);
    }

    @AfterEach
    void release() {
        hooks.reset();
        channel.shutdownNow();
    }

    private static CompletableFuture<ExtractableResponse<Response>> inferAsync(String secret) {
        return CompletableFuture.supplyAsync(() -> Api.as(secret).contentType(ContentType.JSON)
                .body(CloudLenet.restBody(null)).post(INFER).then().extract());
    }

    @Test
    void beyondTheRunningAndQueuedLimitRequestsAre503WithRetryAfterAndTheQueueWaitIsCounted() throws Exception {
        String token = CloudLenet.deployerToken();
        long rejectedBefore = stats.latency(MODEL, VERSION).map(InferenceStats.VersionLatency::rejected).orElse(0L);
        long queuedBefore = stats.latency(MODEL, VERSION).map(v -> v.queue().count()).orElse(0L);
        hooks.holdRuns = new CountDownLatch(1);

        CompletableFuture<ExtractableResponse<Response>> running = inferAsync(token);
        await().atMost(Duration.ofSeconds(30)).until(() -> hooks.runsStarted.get() == 1);
        CompletableFuture<ExtractableResponse<Response>> queued = inferAsync(token);
        await().atMost(Duration.ofSeconds(30)).until(() -> inference.queuedJobs() == 1);

        var refused = Api.as(token).contentType(ContentType.JSON).body(CloudLenet.restBody(null)).post(INFER)
                .then().extract();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo(String.valueOf(InferenceProfile.RETRY_AFTER_SECONDS));
        assertThat(refused.jsonPath().getString("error")).isEqualTo("cloud inference is at its limit: model 'lenet' "
                + "version '1' cannot be admitted while 1 inferences run and 1 wait "
                + "(continuum.inference.max-concurrent=1, max-queue=1); retry later");
        assertThatThrownBy(() -> CloudLenet.grpc(channel, CloudLenet.deviceCredential(controller)).modelInfer(
                ModelInferRequest.newBuilder().setModelName(MODEL).setModelVersion(VERSION).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("model 'lenet' version '1' cannot be admitted");
                    assertThat(e.getTrailers().get(io.grpc.Metadata.Key.of("retry-after",
                            io.grpc.Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("3");
                });

        hooks.holdRuns.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        InferenceStats.VersionLatency after = stats.latency(MODEL, VERSION).orElseThrow();
        assertThat(after.rejected()).isEqualTo(rejectedBefore + 2);
        assertThat(after.queue().count()).isEqualTo(queuedBefore + 2);
        // the queued request waited at least while the refused ones were answered: above the sub-µs bucket
        assertThat(after.queue().p99Micros()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void concurrentFirstRequestsLoadTheModelOnce() throws Exception {
        String token = CloudLenet.deployerToken();
        inference.forgetModels();
        long loadsBefore = inference.state().modelLoads();
        hooks.holdLoads = new CountDownLatch(1);

        CompletableFuture<ExtractableResponse<Response>> first = inferAsync(token);
        await().atMost(Duration.ofSeconds(30)).until(() -> hooks.loadsStarted.get() == 1);
        CompletableFuture<ExtractableResponse<Response>> second = inferAsync(CloudLenet.deviceCredential(controller));
        await().atMost(Duration.ofSeconds(30)).until(() -> inference.awaitingLoad() == 1);
        hooks.holdLoads.countDown();

        for (var r : java.util.List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS))) {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        }
        assertThat(hooks.loadsStarted).hasValue(1);
        assertThat(inference.state().modelLoads()).isEqualTo(loadsBefore + 1);
        assertThat(inference.state().cachedModels()).isEqualTo(1);
    }

    @Test
    void computeAndQueueingPercentilesAreReadableOverRestAndPrometheus() {
        String token = CloudLenet.deployerToken();
        for (int i = 0; i < 3; i++) {
            Api.as(token).contentType(ContentType.JSON).body(CloudLenet.restBody(null)).post(INFER).then().statusCode(200);
        }
        InferenceStats.VersionLatency v = stats.latency(MODEL, VERSION).orElseThrow();
        assertThat(v.compute().count()).isGreaterThanOrEqualTo(3);
        assertThat(v.compute().p95Micros()).isPositive().isGreaterThanOrEqualTo(v.compute().p50Micros());
        assertThat(v.total().p95Micros()).isGreaterThanOrEqualTo(v.compute().p50Micros());

        var s = Api.as(CloudLenet.viewerToken()).get("/api/v1/inference/stats?model=" + MODEL).then().statusCode(200)
                .extract().jsonPath();
        assertThat(s.getLong("windowSeconds")).isEqualTo(300);
        assertThat(s.getInt("limits.maxConcurrent")).isEqualTo(1);
        assertThat(s.getInt("limits.maxQueue")).isEqualTo(1);
        assertThat(s.getString("versions[0].model")).isEqualTo(MODEL);
        assertThat(s.getString("versions[0].version")).isEqualTo(VERSION);
        assertThat(s.getLong("versions[0].compute.count")).isGreaterThanOrEqualTo(3);
        assertThat(s.getDouble("versions[0].compute.p95Micros")).isPositive();
        assertThat(s.getLong("versions[0].queue.count")).isGreaterThanOrEqualTo(3);
        assertThat(s.getLong("versions[0].succeeded")).isGreaterThanOrEqualTo(3);
        Api.as(CloudLenet.viewerToken()).get("/api/v1/inference/stats?model=other").then().statusCode(200)
                .body("versions", org.hamcrest.Matchers.empty());
        org.hamcrest.MatcherAssert.assertThat(io.restassured.RestAssured.given().get("/api/v1/inference/stats")
                .statusCode(), org.hamcrest.Matchers.is(401));

        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("continuum_inference_compute_latency_seconds\\{[^}]*model=\"lenet\""
                + "[^}]*quantile=\"0.95\"[^}]*version=\"1\"[^}]*} [0-9.eE-]+");
        assertThat(metrics).containsPattern("continuum_inference_queue_latency_seconds\\{[^}]*model=\"lenet\"");
        assertThat(metrics).containsPattern("continuum_inference_requests_total\\{[^}]*model=\"lenet\"[^}]*outcome=\"ok\"");
        assertThat(metrics).contains("continuum_inference_model_loads_total");
        assertThat(metrics).contains("continuum_inference_running");
    }
}
