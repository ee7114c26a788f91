package dev.continuum.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentIdTest {
    @TempDir
    Path dir;

    @Test
    void everyAttemptUntilTheIdentityIsStoredSendsTheSameIdAlsoAfterARestart() throws Exception {
        String first = EnrolmentId.loadOrCreate(dir);
        assertThat(first).matches("[A-Za-z0-9_-]{1,64}");
        assertThat(EnrolmentId.loadOrCreate(dir)).as("a retry, or the agent restarted").isEqualTo(first);

        EnrolmentId.forget(dir);
        assertThat(dir.resolve(EnrolmentId.FILE)).doesNotExist();
        assertThat(EnrolmentId.loadOrCreate(dir)).as("a new enrolment (the identity was deleted)").isNotEqualTo(first);
    }

    @Test
    void aDamagedFileIsReplacedByANewId() throws Exception {
        Files.writeString(dir.resolve(EnrolmentId.FILE), "not an id!\n");
        assertThat(EnrolmentId.loadOrCreate(dir)).matches("[A-Za-z0-9_-]{1,64}");
    }
}
