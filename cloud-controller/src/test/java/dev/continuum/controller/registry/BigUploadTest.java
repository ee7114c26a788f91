package dev.continuum.controller.registry;

import static dev.continuum.controller.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.support.TestDirs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A 1 GiB model is published through the API by a JVM whose heap is capped at 256 MiB (surefire's
 * {@code big-upload} execution): the body must stream to disk and the engine must inspect it
 * without loading its weights.
 */
@QuarkusTest
@TestProfile(BigUploadTest.Profile.class)
class BigUploadTest {
    static final long WEIGHT_BYTES = 1L << 30;
    static final long MAX_HEAP = 300L << 20;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("continuum.datastore", "embedded",
                    "continuum.data-dir", TestDirs.dataDir("big-upload").toString(),
                    "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                    "continuum.registry.max-artifact-size", "2G");
        }
    }

    @Inject
    TestData data;

    @Test
    void aOneGigabyteModelIsPublishedWithABoundedHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("this test must run with a small heap (-Xmx256m)")
                .isLessThanOrEqualTo(MAX_HEAP);
        data.reset();
        Path file = Files.createTempFile("continuum-1g-", ".onnx");
        try {
            String sha = Onnx.writeLarge(file, WEIGHT_BYTES);
            long size = Files.size(file);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong peakHeap = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            long start = System.nanoTime();
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                                    + "/api/v1/models/large/versions/1"))
                            .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            running.set(false);
            sampler.join();

            System.out.printf("[continuum] 1 GiB upload: %d bytes in %d ms, peak heap used %d MiB of max %d MiB%n",
                    size, millis, peakHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            var version = admin().get("/api/v1/models/large/versions/1").then().statusCode(200)
                    .body("sha256", equalTo(sha))
                    .body("opTypes[0]", equalTo("Shape")).extract().jsonPath();
            assertThat(version.getLong("sizeBytes")).isEqualTo(size);
            assertThat(version.getLong("parameters")).isEqualTo(WEIGHT_BYTES / 4);
            assertThat(data.storedArtifacts()).singleElement()
                    .satisfies(p -> assertThat(Files.size(p)).isEqualTo(size));
            assertThat(data.tempFiles()).isEmpty();
        } finally {
            Files.deleteIfExists(file);
            data.reset();
        }
    }
}
