package dev.continuum.agent.offload;

import dev.continuum.agent.telemetry.RequestRecorder;
import dev.continuum.agent.telemetry.UplinkEstimate;
import dev.continuum.oip.OipException;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Serves requests for models the desired state places in the cloud: forwards them to the
 * controller ({@link CloudClient}) for exactly the placed version, and answers with what the
 * controller answered, errors included. Every forwarded inference is recorded with placement CLOUD
 * and its end-to-end latency as the caller saw it, and feeds the {@link UplinkEstimate}.
 *
 * <p><b>Fallback</b>: when the controller is unreachable ({@link CloudUnreachableException}) and the
 * same version is installed and loaded on the device (the reconciler keeps a local copy of models
 * placed in the cloud unless {@code offload-fallback=none}), the request runs locally instead and is
 * recorded by the local path with placement EDGE; fallbacks are counted and logged at most every
 * {@link FallbackLog#INTERVAL_MILLIS} ms. Without a local copy the answer is a 503 naming the
 * model, the controller, the reason and that there is no local copy.
 */
public final class Offloader {
    private final Function<String, Optional<CloudTarget>> placements;
    private final CloudClient client;
    private final Predicate<CloudTarget> localCopy;
    private final RequestRecorder recorder;
    private final UplinkEstimate uplink;
    private final boolean fallback;
    private final FallbackLog log = new FallbackLog();

    /** Something the controller is asked. */
    public interface Remote<T> {
        T call() throws CloudUnreachableException;
    }

    /**
     * @param placements the cloud placement of a model, by name (empty: served on the device)
     * @param localCopy  whether the target version is loaded locally, so it can run here
     * @param fallback   whether to run on the device when the controller is unreachable
     */
    public Offloader(Function<String, Optional<CloudTarget>> placements, CloudClient client,
                     Predicate<CloudTarget> localCopy, RequestRecorder recorder, UplinkEstimate uplink, boolean fallback) {
        this.placements = placements;
        this.client = client;
        this.localCopy = localCopy;
        this.recorder = recorder;
        this.uplink = uplink;
        this.fallback = fallback;
    }

    /** Offloads nothing: every model is served on the device. */
    public static Offloader none() {
        return new Offloader(m -> Optional.empty(), null, t -> false, new RequestRecorder(), new UplinkEstimate(), false);
    }

    /**
     * Where a request for {@code model} (and {@code version}, when given) is forwarded; empty when the
     * model is not placed in the cloud.
     *
     * @throws OipException 404 when the model is placed in the cloud at another version
     */
    public Optional<CloudTarget> target(String model, String version) {
        Optional<CloudTarget> t = placements.apply(model);
        if (t.isPresent() && version != null && !version.isEmpty() && !version.equals(t.get().version())) {
            throw OipException.notFound("model '" + model + "' version '" + version + "' is not served; the device "
                    + "serves version '" + t.get().version() + "' (placed in the cloud)");
        }
        return t;
    }

    public CloudClient client() {
        return client;
    }

    /** Requests that ran on the device because the controller was unreachable, since start. */
    public long fallbacks() {
        return log.total();
    }

    /**
     * An inference: forwarded, recorded CLOUD (an error unless {@code succeeded} says the answer is
     * one), or run by {@code local} when the controller is unreachable.
     *
     * @param startNanos   when the request arrived
     * @param requestBytes the size of what is sent, for the uplink estimate
     */
    public <T> T infer(CloudTarget t, long startNanos, long requestBytes, Remote<T> remote, Predicate<T> succeeded,
                       Supplier<T> local) {
        return forward(t, startNanos, requestBytes, true, remote, succeeded, local);
    }

    /** Metadata or readiness: forwarded, or answered by {@code local} when the controller is unreachable. */
    public <T> T query(CloudTarget t, Remote<T> remote, Supplier<T> local) {
        return forward(t, System.nanoTime(), 0, false, remote, a -> true, local);
    }

    private <T> T forward(CloudTarget t, long startNanos, long requestBytes, boolean record, Remote<T> remote,
                          Predicate<T> succeeded, Supplier<T> local) {
        long sentAt = System.nanoTime();
        T answer;
        try {
            answer = remote.call();
        } catch (StatusRuntimeException e) { // the controller's own error, passed through
            recordCloud(record, t, startNanos, true);
            throw e;
        } catch (CloudUnreachableException e) {
            if (fallback && localCopy.test(t)) {
                log.fellBack(t, client.controller(), e.reason());
                return local.get(); // recorded by the local path, placement EDGE
            }
            recordCloud(record, t, startNanos, true);
            throw new OipException(503, t.describe() + " is placed in the cloud and the controller at "
                    + client.controller() + " is unreachable: " + e.reason() + "; "
                    + (fallback ? "not installed locally" : "local fallback is off (offload-fallback=none)"));
        }
        uplink.record(requestBytes, System.nanoTime() - sentAt);
        recordCloud(record, t, startNanos, !succeeded.test(answer));
        return answer;
    }

    private void recordCloud(boolean record, CloudTarget t, long startNanos, boolean error) {
        if (record) {
            recorder.recordCloud(t.model(), t.version(), (System.nanoTime() - startNanos) / 1000, error);
        }
    }
}
