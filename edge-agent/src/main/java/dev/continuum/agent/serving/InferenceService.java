package dev.continuum.agent.serving;

import dev.continuum.agent.profile.Slowdown;
import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.engine.EngineException;
import dev.continuum.engine.InvalidInputException;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.oip.OipException;
import dev.continuum.oip.OipTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the local inference APIs do, independent of REST or gRPC: readiness, metadata and
 * inference against the {@link ModelServer}, with errors that name the bad input. Every inference
 * request on a served model is recorded in the {@link RequestRecorder} (placement EDGE) with its
 * latency from arrival to encoded answer, as an error when it failed in any way (a body that does
 * not parse, a bad input, an engine failure). Requests for a model or version the device does not
 * serve are not recorded: the telemetry would otherwise carry any name a client makes up. With a
 * {@link Slowdown} every engine run is stretched to its factor times the measured time.
 */
public final class InferenceService {
    public static final String SERVER_NAME = "continuum-agent";
    public static final String PLATFORM = OipTypes.PLATFORM_ONNX;

    private final ModelServer server;
    private final BooleanSupplier ready;
    private final String agentVersion;
    private final RequestRecorder recorder;
    private final Slowdown slowdown;

    /** {@code ready} says whether every model the device should serve locally is served. */
    public InferenceService(ModelServer server, BooleanSupplier ready, String agentVersion) {
        this(server, ready, agentVersion, new RequestRecorder());
    }

    public InferenceService(ModelServer server, BooleanSupplier ready, String agentVersion, RequestRecorder recorder) {
        this(server, ready, agentVersion, recorder, Slowdown.NONE);
    }

    public InferenceService(ModelServer server, BooleanSupplier ready, String agentVersion, RequestRecorder recorder,
                            Slowdown slowdown) {
        this.slowdown = slowdown;
        this.server = server;
        this.ready = ready;
        this.agentVersion = agentVersion;
        this.recorder = recorder;
    }

    public boolean serverReady() {
        return ready.getAsBoolean();
    }

    public String agentVersion() {
        return agentVersion;
    }

    /** Whether the model (and version, when given) is served; false for unknown models. */
    public boolean modelReady(String model, String version) {
        return server.get(model).filter(m -> version == null || version.isEmpty() || version.equals(m.version()))
                .isPresent();
    }

    /** A model's name, version, inputs and outputs. */
    public record Metadata(String name, String version, List<TensorInfo> inputs, List<TensorInfo> outputs) {
    }

    public Metadata metadata(String model, String version) {
        try (ModelServer.Lease lease = server.acquire(model, version)) {
            ServedModel m = lease.model();
            return new Metadata(m.name(), m.version(), m.model().inputs(), m.model().outputs());
        }
    }

    /** Outputs of one inference, in the model's output order (or the order requested). */
    public record Result(String model, String version, Map<String, Tensor> outputs) {
    }

    /**
     * Starts an inference request on the current version of {@code model} (which must be
     * {@code version} when that is given): decode the request, {@link Call#infer}, encode the answer,
     * mark it {@link Call#succeeded}, close. Closing records the request; it is an error unless marked.
     *
     * @param startNanos {@code System.nanoTime()} when the request arrived
     * @throws OipException 404 for a model or version not served (not recorded)
     */
    public Call begin(String model, String version, long startNanos) {
        return new Call(server.acquire(model, version), startNanos);
    }

    /** One inference request holding the model version it runs on; see {@link #begin}. */
    public final class Call implements AutoCloseable {
        private final ModelServer.Lease lease;
        private final long startNanos;
        private boolean succeeded;
        private boolean closed;

        private Call(ModelServer.Lease lease, long startNanos) {
            this.lease = lease;
            this.startNanos = startNanos;
        }

        /** See {@link InferenceService#infer}. */
        public Result infer(Map<String, Tensor> inputs, List<String> requestedOutputs) {
            return run(lease.model(), inputs, requestedOutputs, slowdown);
        }

        /** The answer is ready: the request counts as served, not as an error. */
        public void succeeded() {
            succeeded = true;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            lease.close();
            ServedModel m = lease.model();
            recorder.recordEdge(m.name(), m.version(), (System.nanoTime() - startNanos) / 1000, !succeeded);
        }
    }

    /**
     * Runs one inference on the current version of {@code model}, recorded like a {@link Call}. The
     * inputs are checked by the engine ({@link dev.continuum.engine.Session#run}), whose
     * {@link InvalidInputException} names the missing, unknown, wrongly typed or shaped input.
     *
     * @param requestedOutputs output names to return; empty for all
     * @throws OipException 404 for an unknown model or version, 400 naming the input for a missing,
     *                      unknown, wrongly typed or shaped input or an unknown output
     */
    public Result infer(String model, String version, Map<String, Tensor> inputs, List<String> requestedOutputs) {
        try (Call call = begin(model, version, System.nanoTime())) {
            Result r = call.infer(inputs, requestedOutputs);
            call.succeeded();
            return r;
        }
    }

    private static Result run(ServedModel m, Map<String, Tensor> inputs, List<String> requestedOutputs,
                              Slowdown slowdown) {
        List<TensorInfo> declaredOutputs = m.model().outputs();
        for (String o : requestedOutputs) {
            if (declaredOutputs.stream().noneMatch(d -> d.name().equals(o))) {
                throw OipException.badRequest("unknown output '" + o + "'; model '" + m.name() + "' has outputs "
                        + declaredOutputs.stream().map(TensorInfo::name).toList());
            }
        }
        Map<String, Tensor> out;
        try {
            out = slowdown.run(() -> m.session().run(inputs));
        } catch (InvalidInputException e) {
            throw OipException.badRequest(e.getMessage());
        } catch (EngineException e) {
            throw new OipException(500, "model '" + m.name() + "' version '" + m.version() + "' failed: " + e.getMessage());
        }
        if (requestedOutputs.isEmpty()) {
            return new Result(m.name(), m.version(), out); // every output, in declaration order
        }
        Map<String, Tensor> selected = new LinkedHashMap<>();
        for (String n : requestedOutputs) {
            selected.put(n, out.get(n));
        }
        return new Result(m.name(), m.version(), selected);
    }
}
