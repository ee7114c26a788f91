package dev.continuum.engine;

import dev.continuum.engine.internal.LoadedGraph;
import dev.continuum.engine.internal.ModelLoader;
import dev.continuum.engine.internal.ops.Ops;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A loaded, validated ONNX model: its signature and what the engine learnt of it. Loading checks
 * everything that can be checked before a run (format, opsets, operators, attributes, shapes), so
 * a model that loads is one the engine can run. Immutable and safe to share between threads; open
 * {@link Session}s to run it.
 *
 * <pre>{@code
 * Model model = Model.load(Path.of("lenet.onnx"));
 * try (Session session = model.newSession(SessionOptions.defaults().withThreads(2))) {
 *     Map<String, Tensor> out = session.run(Map.of("input", Tensor.ofFloats(new int[] {1, 1, 32, 32}, pixels)));
 * }
 * }</pre>
 */
public final class Model {
    private final LoadedGraph graph;

    private Model(LoadedGraph graph) {
        this.graph = graph;
    }

    /**
     * Loads a model file; tensors stored as external data are read relative to its directory.
     *
     * @throws ModelFormatException when the file is missing, unreadable or not a valid ONNX model
     * @throws UnsupportedOperatorException when a node uses an operator the engine cannot run
     */
    public static Model load(Path file) {
        return load(file, bytes -> { });
    }

    /**
     * Loads a model file once {@code check} has seen its bytes, which are then the bytes parsed: a
     * read-only view of the file's mapping (of its contents, for a pipe), read once. The check may throw
     * to refuse them (a digest that does not match); its exception propagates unchanged and nothing is
     * parsed.
     *
     * @throws ModelFormatException when the file is missing, unreadable or not a valid ONNX model
     * @throws UnsupportedOperatorException when a node uses an operator the engine cannot run
     */
    public static Model load(Path file, Consumer<ByteBuffer> check) {
        Objects.requireNonNull(check, "check");
        Path dir = file.toAbsolutePath().getParent();
        Function<ByteBuffer, LoadedGraph> loader = bytes -> {
            check.accept(bytes.asReadOnlyBuffer());
            return new ModelLoader(Ops.registry()).load(bytes, dir);
        };
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            // a pipe or a device (/dev/stdin) has no size to map, and refuses to tell its position, which a
            // channel's stream and FileInputStream.readAllBytes ask: read it through a plain stream's loop
            byte[] bytes;
            try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new ModelFormatException("cannot read model file " + file + ": " + e.getMessage(), e);
            }
            return new Model(loader.apply(ByteBuffer.wrap(bytes)));
        }
        return new Model(map(file, loader));
    }

    /**
     * Maps a model file and hands its bytes to the loader, which decodes the weights straight from
     * the mapping (no copy of the file on the heap); file-system errors become a
     * {@link ModelFormatException} naming the file. The mapping is released once unreachable.
     */
    private static LoadedGraph map(Path file, Function<ByteBuffer, LoadedGraph> loader) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ModelFormatException("model file " + file + " has " + size
                        + " bytes; a model over 2 GiB must keep its weights as external data");
            }
            return loader.apply(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (InternalError e) {
            // a page of the mapping could not be read: the file was truncated or its disk failed
            throw new ModelFormatException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private interface Reader<T> {
        T read(InputStream in);
    }

    /** Reads a model file, turning file-system errors into a {@link ModelFormatException} naming the file. */
    private static <T> T read(Path file, Reader<T> reader) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return reader.read(in);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("model file not found: " + file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a model from its serialized bytes (no external data). The weights are decoded straight from
     * the array, which must not change until this returns; nothing of it is kept after.
     */
    public static Model load(byte[] onnx) {
        return new Model(new ModelLoader(Ops.registry()).load(ByteBuffer.wrap(onnx), null));
    }

    /** Loads a model from a stream, which is read to its end but not closed (no external data). */
    public static Model load(InputStream onnx) {
        return new Model(new ModelLoader(Ops.registry()).load(onnx, null));
    }

    /**
     * Validates a model file exactly as {@link #load} does (format, opsets, operators, attributes,
     * shapes) but reads only the type and shape of large weights, so memory stays bounded whatever
     * the file's size. For registries that must accept or refuse uploads without running them.
     *
     * @throws ModelFormatException when the file is missing, unreadable or not a valid ONNX model
     * @throws UnsupportedOperatorException when a node uses an operator the engine cannot run
     */
    public static ModelSummary inspect(Path file) {
        return summarize(read(file, in -> new ModelLoader(Ops.registry()).inspect(in)));
    }

    /** This model's summary. */
    public ModelSummary summary() {
        return summarize(graph);
    }

    private static ModelSummary summarize(LoadedGraph g) {
        return new ModelSummary(g.inputs(), g.outputs(), g.opsets(), g.opsets().getOrDefault("", 0),
                g.parameterCount(), g.flops(), g.opTypes(), g.producer());
    }

    /** Opens a session with default options. */
    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    /**
     * Opens a session with these options.
     *
     * @throws IllegalArgumentException when the system property {@code continuum.engine.min-task-work}
     *     is set to anything but a whole number from 1 to 2^31 - 1 (the message names it and its value)
     */
    public Session newSession(SessionOptions options) {
        return new Session(graph, options);
    }

    /** Graph inputs a run must supply, in declaration order (initializers are not inputs). */
    public List<TensorInfo> inputs() {
        return graph.inputs();
    }

    /** Graph outputs, in declaration order, with shapes completed by shape inference where possible. */
    public List<TensorInfo> outputs() {
        return graph.outputs();
    }

    /** Opset version per imported domain; the default ONNX domain is the empty string. */
    public Map<String, Integer> opsets() {
        return graph.opsets();
    }

    /** The default-domain (ai.onnx) opset version, or 0 when the model does not import it. */
    public int opset() {
        return graph.opsets().getOrDefault("", 0);
    }

    /** Number of parameters: elements in all initializers. */
    public long parameterCount() {
        return graph.parameterCount();
    }

    /** Estimated floating-point operations per inference at batch 1 (2 per multiply-accumulate). */
    public long flops() {
        return graph.flops();
    }

    /** Operator types used by the model's graph, sorted. */
    public Set<String> opTypes() {
        return graph.opTypes();
    }

    /** The producer named in the file, e.g. {@code pytorch 2.6.0}. */
    public String producer() {
        return graph.producer();
    }

    /** The inferred shape of any value by name, or null; for diagnostics and tests. */
    public TensorInfo valueInfo(String name) {
        var t = graph.types().get(name);
        return t == null ? null : new TensorInfo(name, t.type(), t.shape());
    }

    /** Number of nodes left to run after constant folding. */
    public int executedNodeCount() {
        return graph.stepCount();
    }
}
