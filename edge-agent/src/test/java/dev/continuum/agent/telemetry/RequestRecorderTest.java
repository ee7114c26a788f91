package dev.continuum.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.proto.telemetry.MergeableHistogram;
import dev.continuum.proto.v1.ModelTelemetry;
import dev.continuum.proto.v1.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RequestRecorderTest {
    private final RequestRecorder recorder = new RequestRecorder();

    @Test
    void countsRequestsErrorsAndLatencyPerModelVersionAndPlacement() {
        recorder.recordEdge("lenet", "1", 100, false);
        recorder.recordEdge("lenet", "1", 300, true);
        recorder.recordEdge("lenet", "2", 50, false);
        recorder.recordCloud("lenet", "1", 9000, false);
        List<ModelTelemetry> out = recorder.drain();
        assertThat(out).extracting(ModelTelemetry::getVersion, ModelTelemetry::getPlacement, ModelTelemetry::getRequests,
                ModelTelemetry::getErrors).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1", Placement.EDGE, 2L, 1L),
                org.assertj.core.groups.Tuple.tuple("1", Placement.CLOUD, 1L, 0L),
                org.assertj.core.groups.Tuple.tuple("2", Placement.EDGE, 1L, 0L));
        MergeableHistogram h = MergeableHistogram.of(out.get(0).getLatency());
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.sumMicros()).isEqualTo(400);
        assertThat(recorder.drain()).as("a drain starts afresh").isEmpty();
    }

    @Test
    void everyRequestRecordedWhileDrainingConcurrentlyIsInExactlyOneDrain() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String model = "m" + (t % 2);
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    recorder.recordEdge(model, "v" + (i % 3), i, i % 10 == 0);
                }
            });
            w.start();
            workers.add(w);
        }
        long requests = 0;
        long errors = 0;
        go.countDown();
        Thread joiner = new Thread(() -> {
            workers.forEach(w -> {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            done.set(true);
        });
        joiner.start();
        while (true) {
            boolean last = done.get();
            for (ModelTelemetry m : recorder.drain()) {
                requests += m.getRequests();
                errors += m.getErrors();
                assertThat(MergeableHistogram.of(m.getLatency()).count()).isEqualTo(m.getRequests());
            }
            if (last) {
                break;
            }
        }
        assertThat(requests).isEqualTo((long) threads * perThread);
        assertThat(errors).isEqualTo((long) threads * perThread / 10);
    }

    @Test
    void aKeyNeedsModelVersionAndPlacement() {
        assertThatThrownBy(() -> new RequestRecorder.Key("m", null, Placement.EDGE)).hasMessage("version");
    }
}
