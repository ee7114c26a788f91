package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the files an external Mosquitto broker needs to confine every device to its own telemetry topics. */
@Command(name = "mqtt-config", description = {
        "Write Mosquitto 'passwd', 'acl' and 'mosquitto.conf' for every enrolled device and the controller user (admin).",
        "Install them as deploy/mosquitto/README.md says, then reload mosquitto (SIGHUP). Run again after enrolling devices."})
final class MqttConfigCommand extends ApiCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the three files to")
    Path out;
    @Option(names = "--controller-user", paramLabel = "USER",
            description = "The controller's MQTT user (default: its continuum.mqtt.username, else continuum-controller)")
    String controllerUser;
    @Option(names = "--controller-password", paramLabel = "PASSWORD",
            description = "The controller's MQTT password (default: its continuum.mqtt.password)")
    String controllerPassword;
    @Option(names = "--controller-password-file", paramLabel = "FILE",
            description = "Read the controller's MQTT password from the first line of FILE")
    Path controllerPasswordFile;
    @Option(names = "--install-dir", paramLabel = "DIR",
            description = "Where mosquitto will read passwd and acl, as written into mosquitto.conf (default: /etc/mosquitto/continuum)")
    String installDir;
    @Option(names = "--port", description = "Listener port in mosquitto.conf (default: 1883)")
    Integer port;

    @Override
    public Integer call() {
        String password = password();
        JsonNode r = api().post("/api/v1/mqtt/config", body("controllerUsername", controllerUser, "controllerPassword",
                password, "installDir", installDir, "port", port));
        List<String> written = new ArrayList<>();
        for (String name : List.of("passwd", "acl", "mosquitto.conf")) {
            write(name, r.path("files").path(name).asText(), name.equals("passwd"));
            written.add(out.resolve(name).toString());
        }
        List<String> missing = new ArrayList<>();
        r.path("devicesWithoutPassword").forEach(d -> missing.add(d.asText()));
        if (!missing.isEmpty()) {
            main().err.printf("warning: %d enrolled device(s) have no MQTT password and are left out of passwd "
                    + "(enrolled before the controller kept one); enrol them again to let them publish telemetry: %s%n",
                    missing.size(), String.join(", ", missing));
        }
        return print(r, () -> main().out.printf("Wrote %s (%d devices and the controller user).%n",
                String.join(", ", written), r.path("devices").asInt()));
    }

    private String password() {
        if (controllerPassword != null && controllerPasswordFile != null) {
            throw new CliException(ExitCodes.USAGE, "give --controller-password or --controller-password-file, not both");
        }
        if (controllerPasswordFile == null) {
            return controllerPassword;
        }
        try {
            return Files.readAllLines(controllerPasswordFile).stream().findFirst().map(String::strip).orElseThrow(() ->
                    new CliException(ExitCodes.USAGE, controllerPasswordFile + " is empty"));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + controllerPasswordFile + ": " + e.getMessage());
        }
    }

    /** Writes through a temp file and a rename, so mosquitto never reads half a file; passwd readable by its owner only. */
    private void write(String name, String content, boolean secret) {
        try {
            Files.createDirectories(out);
            Path tmp = Files.createTempFile(out, "." + name, ".tmp");
            Files.writeString(tmp, content);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            }
            Files.move(tmp, out.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + out.resolve(name) + ": " + e.getMessage());
        }
    }
}
