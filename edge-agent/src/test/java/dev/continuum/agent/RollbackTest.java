package dev.continuum.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.agent.modelcache.ModelCache;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.ModelStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version changes through the desired state: upgrade, rollback from the cache, a version that cannot load. */
class RollbackTest {
    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    /** The previous version recorded in the agent's cache index for lenet, "" when none. */
    private static String previousVersion(Path dir) {
        ModelCache cache = new ModelCache(dir);
        try {
            cache.open();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return cache.entry("lenet").map(ModelCache.Entry::previous).map(ModelCache.Ref::version).orElse("");
    }

    private static DesiredState desired(long revision, String version, byte[] artifact) {
        return DesiredState.newBuilder().setDeviceId("dev-fake").setRevision(revision).addModels(ModelAssignment.newBuilder()
                .setModel("lenet").setVersion(version).setSha256(FakeController.sha256(artifact))
                .setSizeBytes(artifact.length)).build();
    }

    @Test
    void aNewVersionReplacesTheOldOneWhichStaysCachedForAnInstantRollback(@TempDir Path dir) throws Exception {
        byte[] v1 = FakeController.lenetBytes();
        // the same network with an unknown trailing field (ModelProto field 99): another digest, equally valid
        byte[] v2 = java.util.Arrays.copyOf(v1, v1.length + 3);
        v2[v1.length] = (byte) 0x98;
        v2[v1.length + 1] = 0x06;
        v2[v1.length + 2] = 0x01;
        byte[] broken = "not an onnx model".getBytes(StandardCharsets.UTF_8);

        try (FakeController controller = new FakeController().start(0)) {
            controller.publish(v1, v2, broken);
            controller.setDesired(desired(1, "1", v1));
            Agent agent = new Agent(AgentConfig.fromMap(Map.of("controller", "http://127.0.0.1:" + controller.port(),
                    "bootstrap-token", FakeController.TOKEN, "data-dir", dir.toString(), "http-port", "0",
                    "grpc-port", "-1", "engine-threads", "1", "reconnect-min", "0.1", "reconnect-max", "0.5"))).start();
            try {
                await(() -> agent.server().get("lenet").filter(m -> m.version().equals("1")).isPresent());

                controller.setDesired(desired(2, "2", v2));
                await(() -> agent.server().get("lenet").filter(m -> m.version().equals("2")).isPresent());
                // the cache index is written just after the swap: wait for it rather than race it
                await(() -> previousVersion(dir).equals("1"));
                int fetches = controller.fetches.get();

                controller.setDesired(desired(3, "1", v1)); // roll back: served from the cache
                await(() -> agent.server().get("lenet").filter(m -> m.version().equals("1")).isPresent());
                assertThat(controller.fetches.get()).isEqualTo(fetches);

                controller.setDesired(desired(4, "3", broken)); // downloads and verifies, but is no model
                await(() -> agent.state().getModelsList().stream().anyMatch(s -> s.getState() == ModelStatus.State.FAILED));
                ModelStatus failed = agent.state().getModels(0);
                assertThat(failed.getVersion()).isEqualTo("3");
                assertThat(failed.getError()).startsWith("load: ");
                assertThat(agent.server().get("lenet").orElseThrow().version()).isEqualTo("1");
                await(() -> controller.lastState.get() != null && controller.lastState.get().getModelsList().stream()
                        .anyMatch(s -> s.getState() == ModelStatus.State.FAILED && s.getError().startsWith("load: ")));
            } finally {
                agent.stop();
            }
        }
    }
}
