package dev.continuum.agent.modelcache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The content-addressed model cache under the data directory:
 * <pre>
 *   models/sha256/&lt;sha256&gt;   verified artifacts, moved in with one atomic rename
 *   installed.json            per model: the current version and the previous one (kept for rollback)
 * </pre>
 * Artifacts that are neither current nor previous for any model are deleted by {@link #collectGarbage}.
 */
public final class ModelCache {
    private static final Logger LOG = Logger.getLogger(ModelCache.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** One installed version of a model and its latency measured on this device at install (0: unknown). */
    public record Ref(String version, String sha256, long p50Micros, long p95Micros) {
    }

    /** A model's current version and the one before it. */
    public record Entry(Ref current, Ref previous) {
    }

    private final Path root;
    private final Path artifacts;
    private final Path index;
    private final Map<String, Entry> entries = new TreeMap<>();

    public ModelCache(Path dataDir) {
        this.root = dataDir;
        this.artifacts = dataDir.resolve("models").resolve("sha256");
        this.index = dataDir.resolve("installed.json");
    }

    /** Reads {@code installed.json}; entries whose artifact is missing are dropped. */
    public synchronized void open() throws IOException {
        Files.createDirectories(artifacts);
        entries.clear();
        if (Files.exists(index)) {
            Map<String, Entry> read = JSON.readValue(index.toFile(), new TypeReference<TreeMap<String, Entry>>() { });
            read.forEach((model, e) -> {
                if (e.current() != null && has(e.current().sha256())) {
                    Ref prev = e.previous() != null && has(e.previous().sha256()) ? e.previous() : null;
                    entries.put(model, new Entry(e.current(), prev));
                } else {
                    LOG.warning(() -> "installed.json names " + model + " but its artifact is missing; ignoring it");
                }
            });
        }
    }

    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a hex sha256: '" + sha256 + "'");
        }
        return artifacts.resolve(sha256);
    }

    public boolean has(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Moves a verified download into the cache with one atomic rename. */
    public Path install(Path verified, String sha256) throws IOException {
        Path target = path(sha256);
        Files.createDirectories(target.getParent());
        Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    public synchronized Map<String, Entry> entries() {
        return Map.copyOf(entries);
    }

    public synchronized Optional<Entry> entry(String model) {
        return Optional.ofNullable(entries.get(model));
    }

    /** Records {@code ref} as the model's current version; the version it replaces becomes the previous one. */
    public synchronized void setCurrent(String model, Ref ref) throws IOException {
        Entry old = entries.get(model);
        Ref previous = old == null ? null : old.current().sha256().equals(ref.sha256()) ? old.previous() : old.current();
        entries.put(model, new Entry(ref, previous));
        save();
    }

    public synchronized void remove(String model) throws IOException {
        if (entries.remove(model) != null) {
            save();
        }
    }

    /** Deletes artifacts no model references as current or previous, and part files not in {@code keepParts}. */
    public synchronized void collectGarbage(Set<String> keepParts, Path downloads) throws IOException {
        Set<String> keep = new HashSet<>();
        entries.values().forEach(e -> {
            keep.add(e.current().sha256());
            if (e.previous() != null) {
                keep.add(e.previous().sha256());
            }
        });
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(artifacts)) {
            for (Path p : ds) {
                if (!keep.contains(p.getFileName().toString())) {
                    LOG.info(() -> "removing unreferenced artifact " + p.getFileName());
                    Files.deleteIfExists(p);
                }
            }
        }
        if (Files.isDirectory(downloads)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(downloads, "*.part")) {
                for (Path p : ds) {
                    String sha = p.getFileName().toString().replace(".part", "");
                    if (!keepParts.contains(sha)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private void save() throws IOException {
        Path tmp = root.resolve("installed.json.tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
