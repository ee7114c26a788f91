package dev.continuum.controller.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.support.Onnx;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
    @TempDir
    Path store;

    /** Stores a reshape model tagged {@code tag} under its sha256 and returns the sha256. */
    private String stored(String tag) throws IOException {
        byte[] onnx = Onnx.reshape(tag);
        String sha = Onnx.sha256(onnx);
        Files.write(store.resolve(sha), onnx);
        return sha;
    }

    private ModelCache cache(int maxModels, long maxBytes, Consumer<String> beforeLoad) {
        return new ModelCache(maxModels, maxBytes, store::resolve, SessionOptions.defaults(), beforeLoad);
    }

    private static void use(ModelCache cache, String sha) {
        try (LoadedModel.Lease lease = cache.acquire(sha)) {
            Map<String, Tensor> out = lease.model().session().run(Map.of("x", Tensor.of(
                    dev.continuum.engine.DataType.FLOAT, new int[] {1, 3, 4, 4}, new float[48])));
            assertThat(out.get("y").shape()).containsExactly(1, 48);
        }
    }

    @Test
    void loadsAModelOnFirstUseAndServesLaterRequestsFromMemory() throws IOException {
        String a = stored("a");
        ModelCache cache = cache(4, 1 << 20, sha -> { });
        use(cache, a);
        use(cache, a);
        assertThat(cache.loads()).isEqualTo(1);
        try (LoadedModel.Lease lease = cache.acquire(a)) {
            assertThat(lease.model().warmRuns()).as("runs on zeros before the first request").isPositive();
        }
        assertThat(cache.cached()).containsExactly(a);
        assertThat(cache.bytes()).isEqualTo(Files.size(store.resolve(a)));
    }

    @Test
    void evictsTheLeastRecentlyUsedModelBeyondTheCount() throws IOException {
        String a = stored("a");
        String b = stored("b");
        String c = stored("c");
        ModelCache cache = cache(2, 1 << 20, sha -> { });
        use(cache, a);
        use(cache, b);
        use(cache, a);
        use(cache, c);
        assertThat(cache.cached()).containsExactly(a, c);
        use(cache, b);
        assertThat(cache.loads()).isEqualTo(4);
    }

    @Test
    void evictsBeyondTheTotalSizeButKeepsAModelLargerThanTheLimitAlone() throws IOException {
        String a = stored("a");
        String b = stored("b");
        long size = Files.size(store.resolve(a));
        ModelCache cache = cache(10, 2 * size - 1, sha -> { });
        use(cache, a);
        use(cache, b);
        assertThat(cache.cached()).containsExactly(b);
        ModelCache tiny = cache(10, 1, sha -> { });
        use(tiny, a);
        assertThat(tiny.cached()).containsExactly(a);
    }

    @Test
    void aModelEvictedWhileInUseKeepsServingTheRequestThatHoldsIt() throws IOException {
        String a = stored("a");
        String b = stored("b");
        ModelCache cache = cache(1, 1 << 20, sha -> { });
        try (LoadedModel.Lease held = cache.acquire(a)) {
            use(cache, b);
            assertThat(cache.cached()).containsExactly(b);
            assertThat(held.model().session().run(Map.of("x", Tensor.of(dev.continuum.engine.DataType.FLOAT,
                    new int[] {2, 3, 4, 4}, new float[96]))).get("y").shape()).containsExactly(2, 48);
        }
    }

    /** A model that fails on zero inputs loads and serves all the same, without its warm-up. */
    @Test
    void aModelThatFailsOnZerosServesUnwarmed() throws IOException {
        byte[] onnx = Onnx.reshapeByInput("by-input");
        String sha = Onnx.sha256(onnx);
        Files.write(store.resolve(sha), onnx);
        ModelCache cache = cache(4, 1 << 20, s -> { });
        try (LoadedModel.Lease lease = cache.acquire(sha)) {
            assertThat(lease.model().warmRuns()).isZero();
            Map<String, Tensor> out = lease.model().session().run(Map.of(
                    "x", Tensor.of(dev.continuum.engine.DataType.FLOAT, new int[] {1, 3, 4, 4}, new float[48]),
                    "shape", Tensor.of(dev.continuum.engine.DataType.INT64, new int[] {2}, new long[] {-1, 48})));
            assertThat(out.get("y").shape()).containsExactly(1, 48);
        }
        assertThat(cache.loads()).isEqualTo(1);
    }

    @Test
    void concurrentFirstRequestsWaitForOneLoad() throws Exception {
        String a = stored("a");
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelCache cache = cache(4, 1 << 20, sha -> {
            loading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<LoadedModel> first = CompletableFuture.supplyAsync(() -> {
            try (LoadedModel.Lease l = cache.acquire(a)) {
                return l.model();
            }
        });
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<LoadedModel> second = CompletableFuture.supplyAsync(() -> {
            try (LoadedModel.Lease l = cache.acquire(a)) {
                return l.model();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.awaitingLoad() == 1);
        release.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
        assertThat(cache.loads()).isEqualTo(1);
    }

    @Test
    void anArtifactWhoseBytesDoNotMatchItsSha256IsNeverServed() throws IOException {
        String a = stored("a");
        byte[] other = Onnx.reshape("tampered");
        Files.write(store.resolve(a), other);
        ModelCache cache = cache(4, 1 << 20, sha -> { });
        assertThatThrownBy(() -> cache.acquire(a)).isInstanceOf(ModelCache.ArtifactException.class)
                .hasMessage("artifact sha256 " + a + " failed verification: the stored file has sha256 "
                        + Onnx.sha256(other));
        assertThat(cache.cached()).isEmpty();
        assertThat(cache.loads()).isZero();
    }

    @Test
    void aMissingOrUnloadableArtifactIsNamedAndALaterRequestTriesAgain() throws IOException {
        String missing = "ab".repeat(32);
        ModelCache cache = cache(4, 1 << 20, sha -> { });
        assertThatThrownBy(() -> cache.acquire(missing)).isInstanceOf(ModelCache.ArtifactException.class)
                .hasMessage("artifact sha256 " + missing + " is missing from the artifact store");
        byte[] garbage = Onnx.garbage(64, 1);
        String bad = Onnx.sha256(garbage);
        Files.write(store.resolve(bad), garbage);
        assertThatThrownBy(() -> cache.acquire(bad)).isInstanceOf(ModelCache.ArtifactException.class)
                .hasMessageStartingWith("artifact sha256 " + bad + " does not load: ");
        Files.write(store.resolve(missing), Onnx.reshape("late"));
        assertThatThrownBy(() -> cache.acquire(missing)).hasMessageContaining("failed verification");
    }

    @Test
    void aCacheWithoutRoomForOneModelIsRefused() {
        assertThatThrownBy(() -> cache(0, 10, sha -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model cache needs room for one model, got maxModels 0 and maxBytes 10");
    }
}
