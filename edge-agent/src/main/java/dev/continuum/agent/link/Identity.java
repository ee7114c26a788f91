package dev.continuum.agent.link;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The device's identity after enrolment, kept in {@code <data-dir>/identity.properties}
 * (readable by the agent's user only): the device id and the credential the controller issued.
 */
public record Identity(String deviceId, String credential) {
    static final String FILE = "identity.properties";

    public static Optional<Identity> load(Path dataDir) throws IOException {
        Path f = dataDir.resolve(FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
        }
        String id = p.getProperty("device-id");
        String cred = p.getProperty("credential");
        if (id == null || cred == null) {
            throw new IOException(f + " lacks device-id or credential; delete it to enrol again");
        }
        return Optional.of(new Identity(id, cred));
    }

    public void save(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Properties p = new Properties();
        p.setProperty("device-id", deviceId);
        p.setProperty("credential", credential);
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Continuum device identity; delete to enrol again");
        }
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return "Identity[deviceId=" + deviceId + ", credential=***]";
    }
}
