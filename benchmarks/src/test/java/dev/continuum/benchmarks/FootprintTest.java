package dev.continuum.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code Footprint} refuses, and what one of its child JVMs reports (run in this JVM). */
class FootprintTest {
    private static final Path RESNET_SMALL = Path.of("../tensor-engine/src/test/resources/models/resnet_small");

    @Test
    void refusesAnUnknownOptionAndADirectoryWithoutModels(@TempDir Path empty) {
        assertThatThrownBy(() -> Footprint.main(new String[] {"--runs", RESNET_SMALL.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --runs");
        assertThatThrownBy(() -> Footprint.main(new String[] {empty.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model directories");
    }

    @Test
    void theEngineChildReportsTheWeightsAndAtLeastThatMuchRetainedHeap() throws Exception {
        String[] r = Footprint.child("engine", RESNET_SMALL).split(" ");
        double weights = Double.parseDouble(r[0]);
        assertThat(weights).isPositive();
        assertThat(r).hasSize(2);
        assertThat(Double.parseDouble(r[1])).as("retained heap MB, weights %s MB", r[0]).isGreaterThan(weights * 0.9);
    }

    @Test
    void theOrtChildReportsOnlyItsResidentGrowth() throws Exception {
        String[] r = Footprint.child("ort", RESNET_SMALL).split(" ");
        assertThat(r).hasSize(2);
        assertThat(r[0]).isEqualTo("-");
        Double.parseDouble(r[1]);
    }

    @Test
    void anUnknownChildModeIsRefused() {
        assertThatThrownBy(() -> Footprint.child("tflite", RESNET_SMALL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown child mode tflite");
    }
}
