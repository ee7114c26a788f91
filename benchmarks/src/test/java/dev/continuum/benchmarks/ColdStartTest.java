package dev.continuum.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ColdStart} refuses before it starts any JVM. */
class ColdStartTest {
    private static final String LENET = "../tensor-engine/src/test/resources/models/lenet";

    @Test
    void refusesAnUnknownOption() {
        assertThatThrownBy(() -> ColdStart.main(new String[] {"--run", "3", LENET}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --run");
    }

    @Test
    void refusesARunCountThatIsNotAPositiveWholeNumber() {
        for (String bad : new String[] {"0", "-2", "three"}) {
            assertThatThrownBy(() -> ColdStart.main(new String[] {"--runs", bad, LENET}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--runs needs a whole number of at least 1, got '" + bad + "'");
        }
        assertThatThrownBy(() -> ColdStart.main(new String[] {LENET, "--runs"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got nothing");
    }

    @Test
    void refusesADirectoryWithoutModels(@TempDir Path empty) {
        assertThatThrownBy(() -> ColdStart.main(new String[] {empty.toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model directories");
    }

    @Test
    void refusesAClassPathWithDirectoriesWhichNoArchiveCanHold() {
        // the test class path holds target/classes: the JVM could not write a class-data archive of it
        assertThat(Files.isDirectory(Path.of(LENET))).isTrue();
        assertThatThrownBy(() -> ColdStart.main(new String[] {"--runs", "1", LENET}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is a directory")
                .hasMessageContaining("benchmarks.jar");
    }
}
