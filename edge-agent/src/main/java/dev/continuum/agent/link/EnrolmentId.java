package dev.continuum.agent.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The id of this agent's enrolment, kept in {@code <data-dir>/enrolment-id} from before the first attempt
 * until the identity is stored: every retry, also after a restart, sends the same id, so the controller
 * answers with the device an earlier attempt created rather than using the bootstrap token again.
 */
final class EnrolmentId {
    static final String FILE = "enrolment-id";

    private EnrolmentId() {
    }

    static String loadOrCreate(Path dataDir) throws IOException {
        Path f = dataDir.resolve(FILE);
        if (Files.exists(f)) {
            String id = Files.readString(f, StandardCharsets.US_ASCII).trim();
            if (id.matches("[A-Za-z0-9_-]{1,64}")) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }

    static void forget(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve(FILE));
    }
}
