package dev.continuum.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the CLI finds the controller and its token: {@code CONTINUUM_URL} / {@code CONTINUUM_TOKEN}
 * from the environment (for CI) override the file {@code continuum login} writes,
 * {@code $CONTINUUM_CONFIG} or {@code ~/.config/continuum/config.json}.
 */
final class CliConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path file;
    final String url;
    final String token;

    private CliConfig(Path file, String url, String token) {
        this.file = file;
        this.url = url;
        this.token = token;
    }

    static CliConfig load(Map<String, String> env) {
        Path file = env.containsKey("CONTINUUM_CONFIG") ? Path.of(env.get("CONTINUUM_CONFIG"))
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "continuum", "config.json");
        String url = null;
        String token = null;
        if (Files.isRegularFile(file)) {
            try {
                var node = JSON.readTree(file.toFile());
                url = node.path("url").asText(null);
                token = node.path("token").asText(null);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
            }
        }
        url = nonBlank(env.get("CONTINUUM_URL"), url);
        token = nonBlank(env.get("CONTINUUM_TOKEN"), token);
        return new CliConfig(file, url, token);
    }

    void save(String newUrl, String newToken) {
        ObjectNode node = JSON.createObjectNode().put("url", newUrl).put("token", newToken);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: rely on the directory's permissions
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String nonBlank(String preferred, String fallback) {
        return preferred != null && !preferred.isBlank() ? preferred : fallback;
    }
}
