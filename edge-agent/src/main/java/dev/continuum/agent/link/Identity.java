package dev.continuum.agent.link;

import dev.continuum.proto.v1.TelemetryEndpoint;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The device's identity after enrolment, kept in {@code <data-dir>/identity.properties}
 * (readable by the agent's user only): the device id and the credential the controller issued, and
 * the telemetry endpoint the controller named last (at enrolment or in a desired state).
 */
public record Identity(String deviceId, String credential, TelemetryEndpoint telemetry) {
    static final String FILE = "identity.properties";

    public Identity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(credential, "credential");
        telemetry = telemetry == null ? TelemetryEndpoint.getDefaultInstance() : telemetry;
    }

    public Identity(String deviceId, String credential) {
        this(deviceId, credential, null);
    }

    /** The same identity with another telemetry endpoint. */
    public Identity withTelemetry(TelemetryEndpoint endpoint) {
        return new Identity(deviceId, credential, endpoint);
    }

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
        TelemetryEndpoint.Builder t = TelemetryEndpoint.newBuilder().setBrokerUri(p.getProperty("telemetry-broker", ""));
        try {
            t.setIntervalMillis(Long.parseLong(p.getProperty("telemetry-interval-millis", "0")));
        } catch (NumberFormatException e) {
            throw new IOException(f + ": telemetry-interval-millis is not a number");
        }
        return Optional.of(new Identity(id, cred, t.build()));
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
        p.setProperty("telemetry-broker", telemetry.getBrokerUri());
        p.setProperty("telemetry-interval-millis", String.valueOf(telemetry.getIntervalMillis()));
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Continuum device identity; delete to enrol again");
        }
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return "Identity[deviceId=" + deviceId + ", credential=***, telemetry=" + telemetry.getBrokerUri() + "]";
    }
}
