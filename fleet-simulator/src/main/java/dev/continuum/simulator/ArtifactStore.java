package dev.continuum.simulator;

import dev.continuum.engine.Model;
import dev.continuum.engine.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The artifacts the simulated devices fetched, kept once per sha256 for the whole fleet
 * ({@code <data-dir>/artifacts/<sha256>}): every device still fetches and verifies each artifact over
 * the transfer protocol into its own part file, and the verified file then replaces nothing when an
 * identical one is stored already. So the controller serves the bytes a real fleet would fetch,
 * while the disk holds one copy. Each model is parsed once, for its FLOPs and inputs.
 */
final class ArtifactStore {
    /** What the simulation needs of a model: FLOPs per inference (0: unknown) and its inputs. */
    record ModelInfo(long flops, List<TensorInfo> inputs) {
    }

    private final Path dir;
    private final Map<String, ModelInfo> infos = new ConcurrentHashMap<>();

    ArtifactStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Takes a verified part file: moved in when this sha is new, deleted when it is stored already. */
    Path adopt(Path part, String sha256) throws IOException {
        Path target = dir.resolve(sha256);
        synchronized (this) {
            if (Files.exists(target)) {
                Files.delete(part);
            } else {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    /** The model's FLOPs and inputs, parsed once per sha256. */
    ModelInfo info(String sha256) {
        return infos.computeIfAbsent(sha256, sha -> {
            try {
                Model m = Model.load(Files.readAllBytes(dir.resolve(sha)));
                return new ModelInfo(m.flops(), m.inputs());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
