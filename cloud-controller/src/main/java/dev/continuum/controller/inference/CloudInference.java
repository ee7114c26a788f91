package dev.continuum.controller.inference;

import dev.continuum.controller.inference.AdmissionLimiter.Admission;
import dev.continuum.controller.inference.AdmissionLimiter.Overloaded;
import dev.continuum.controller.inference.VersionResolver.Resolved;
import dev.continuum.controller.registry.ArtifactStore;
import dev.continuum.engine.EngineException;
import dev.continuum.engine.InvalidInputException;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.oip.OipException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Cloud inference, independent of REST or gRPC: resolves the model version, admits the request
 * within the concurrency limit, loads the model on demand, runs it on a compute thread and measures
 * queueing and compute time. Every refusal is an {@link OipException} whose message names the bad
 * input, the unknown model or version, or the limit that was reached.
 */
@ApplicationScoped
@Startup
public class CloudInference {
    private static final Logger LOG = Logger.getLogger(CloudInference.class);

    @Inject
    InferenceConfig config;

    @Inject
    VersionResolver resolver;

    @Inject
    ArtifactStore artifacts;

    @Inject
    InferenceStats stats;

    @Inject
    InferenceHooks hooks;

    @Inject
    MeterRegistry meters;

    private AdmissionLimiter limiter;
    private ModelCache cache;

    /** A parsed request: named inputs and the outputs asked for (empty for all). */
    public record Request(Map<String, Tensor> inputs, List<String> outputs) {
    }

    /** A model version's name, version and signature. */
    public record Metadata(String name, String version, List<TensorInfo> inputs, List<TensorInfo> outputs) {
    }

    /** The outputs of one inference, in the model's output order or the order asked for. */
    public record Result(String model, String version, Map<String, Tensor> outputs) {
    }

    @PostConstruct
    void start() {
        int concurrent = config.maxConcurrent() > 0 ? config.maxConcurrent() : Runtime.getRuntime().availableProcessors();
        limiter = new AdmissionLimiter(concurrent, config.maxQueue(), config.queueTimeout());
        cache = new ModelCache(config.cache().maxModels(), config.cache().maxBytes().asLongValue(), artifacts::path,
                SessionOptions.defaults().withThreads(config.threadsPerRun()), hooks::beforeLoad);
        Gauge.builder("continuum.inference.running", limiter, AdmissionLimiter::running)
                .description("cloud inferences running now").register(meters);
        Gauge.builder("continuum.inference.waiting", limiter, AdmissionLimiter::waiting)
                .description("admitted cloud inference requests not running yet").register(meters);
        Gauge.builder("continuum.inference.models.cached", cache, ModelCache::size).register(meters);
        Gauge.builder("continuum.inference.models.cached.bytes", cache, ModelCache::bytes).baseUnit("bytes")
                .register(meters);
        FunctionCounter.builder("continuum.inference.model.loads", cache, ModelCache::loads)
                .description("model artifacts loaded for cloud inference").register(meters);
        LOG.infof("cloud inference: %d concurrent, %d queued, model cache %d models / %d bytes", concurrent,
                config.maxQueue(), config.cache().maxModels(), config.cache().maxBytes().asLongValue());
    }

    @PreDestroy
    void stop() {
        limiter.close();
        cache.clear();
    }

    /** @throws OipException 404 for an unknown model or version */
    public Metadata metadata(String model, String version) {
        Resolved v = resolver.resolve(model, version);
        try (LoadedModel.Lease lease = acquire(v)) {
            return new Metadata(v.model(), v.version(), lease.model().model().inputs(), lease.model().model().outputs());
        }
    }

    /** Whether a version is ready to serve: it is published and its artifact is stored (it loads on demand). */
    public boolean ready(String model, String version) {
        return artifacts.exists(resolver.resolve(model, version).sha256());
    }

    /**
     * Runs one inference. {@code parse} runs only once the request is admitted, so a server at its
     * limit refuses before spending time on the body.
     *
     * @throws OipException 404 unknown model or version, 400 bad input (naming it), 503 over the limit,
     *                      500 when the artifact cannot be served or the run fails
     */
    public Result infer(String model, String version, Supplier<Request> parse) {
        Resolved v = resolver.resolve(model, version);
        try (Admission admission = limiter.admit(v.describe())) {
            Request request = parse.get();
            try (LoadedModel.Lease lease = acquire(v)) {
                checkOutputs(v, lease.model(), request.outputs());
                long[] computeNanos = new long[1];
                AdmissionLimiter.Ran<Map<String, Tensor>> ran = limiter.run(admission, v.describe(), () -> {
                    hooks.beforeRun(v.model(), v.version());
                    long t0 = System.nanoTime();
                    Map<String, Tensor> out = run(v, lease.model(), request.inputs());
                    computeNanos[0] = System.nanoTime() - t0;
                    return out;
                });
                stats.succeeded(v.model(), v.version(), ran.queueNanos() / 1000, computeNanos[0] / 1000);
                return new Result(v.model(), v.version(), select(ran.value(), request.outputs()));
            }
        } catch (Overloaded e) {
            stats.ended(v.model(), v.version(), 503);
            throw e.toOip();
        } catch (OipException e) {
            stats.ended(v.model(), v.version(), e.status());
            throw e;
        } catch (RuntimeException e) {
            stats.ended(v.model(), v.version(), 500);
            throw e;
        }
    }

    private LoadedModel.Lease acquire(Resolved v) {
        try {
            return cache.acquire(v.sha256());
        } catch (ModelCache.ArtifactException e) {
            LOG.errorf(e, "cannot serve %s", v.describe());
            throw new OipException(500, v.describe() + " cannot be served: " + e.getMessage());
        }
    }

    private static Map<String, Tensor> run(Resolved v, LoadedModel m, Map<String, Tensor> inputs) {
        try {
            return m.session().run(inputs);
        } catch (InvalidInputException e) {
            throw OipException.badRequest(e.getMessage());
        } catch (EngineException e) {
            throw new OipException(500, v.describe() + " failed: " + e.getMessage());
        }
    }

    private static void checkOutputs(Resolved v, LoadedModel m, List<String> requested) {
        List<TensorInfo> declared = m.model().outputs();
        for (String o : requested) {
            if (declared.stream().noneMatch(d -> d.name().equals(o))) {
                throw OipException.badRequest("unknown output '" + o + "'; " + v.describe() + " has outputs "
                        + declared.stream().map(TensorInfo::name).toList());
            }
        }
    }

    private static Map<String, Tensor> select(Map<String, Tensor> all, List<String> requested) {
        if (requested.isEmpty()) {
            return all;
        }
        Map<String, Tensor> selected = new LinkedHashMap<>();
        for (String n : requested) {
            selected.put(n, all.get(n));
        }
        return selected;
    }

    /** The limits and the model cache as they stand, for the stats endpoint. */
    public record State(int maxConcurrent, int maxQueue, int running, int waiting, int cachedModels, long cachedBytes,
                        int maxCachedModels, long maxCachedBytes, long modelLoads) {
    }

    public State state() {
        return new State(limiter.maxConcurrent(), limiter.maxQueue(), limiter.running(), limiter.waiting(), cache.size(),
                cache.bytes(), cache.maxModels(), cache.maxBytes(), cache.loads());
    }

    /** Runs handed to the compute threads and not started yet (for tests). */
    int queuedJobs() {
        return limiter.queuedJobs();
    }

    /** Requests now waiting for a model load another request started (for tests). */
    int awaitingLoad() {
        return cache.awaitingLoad();
    }

    /** Drops every loaded model and cached resolution (for tests). */
    void forgetModels() {
        cache.clear();
        resolver.forget();
    }
}
