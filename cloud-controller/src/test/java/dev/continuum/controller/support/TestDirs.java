package dev.continuum.controller.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** One temp data directory per profile and JVM, removed when the JVM exits. */
public final class TestDirs {
    private static final Map<String, Path> DIRS = new ConcurrentHashMap<>();

    private TestDirs() {
    }

    public static Path dataDir(String profile) {
        return DIRS.computeIfAbsent(profile, p -> {
            try {
                Path dir = Files.createTempDirectory("continuum-" + p + "-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
