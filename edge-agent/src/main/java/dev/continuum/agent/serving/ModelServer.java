package dev.continuum.agent.serving;

import dev.continuum.oip.OipException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models this device serves, one current version each. {@link #swap} replaces a version
 * atomically: a request that started on the old version finishes on it (it holds a {@link Lease}),
 * new requests see the new one, and the old session closes when its last request ends.
 */
public final class ModelServer {
    private final Map<String, ServedModel> current = new ConcurrentHashMap<>();

    /** A request's hold on one model version; close it when the request is done. */
    public static final class Lease implements AutoCloseable {
        private final ServedModel model;
        private boolean closed;

        Lease(ServedModel model) {
            this.model = model;
        }

        public ServedModel model() {
            return model;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                model.release();
            }
        }
    }

    /**
     * The current version of {@code name}; when {@code version} is given it must be the current one.
     *
     * @throws OipException 404 naming the model (and version) when it is not served
     */
    public Lease acquire(String name, String version) {
        while (true) {
            ServedModel m = current.get(name);
            if (m == null) {
                throw OipException.notFound("unknown model '" + name + "'; this device serves " + names());
            }
            if (version != null && !version.isEmpty() && !version.equals(m.version())) {
                throw OipException.notFound("model '" + name + "' version '" + version
                        + "' is not served; the device serves version '" + m.version() + "'");
            }
            if (m.tryAcquire()) {
                return new Lease(m);
            }
            // retired between get and acquire: the map holds its successor (or nothing) now
        }
    }

    /** Serves {@code next} in place of the current version of its model, returning the version replaced. */
    public Optional<ServedModel> swap(ServedModel next) {
        ServedModel old = current.put(next.name(), next);
        if (old != null && old != next) {
            old.release();
        }
        return Optional.ofNullable(old);
    }

    /** Stops serving a model; requests in flight finish. */
    public void remove(String name) {
        ServedModel old = current.remove(name);
        if (old != null) {
            old.release();
        }
    }

    public Optional<ServedModel> get(String name) {
        return Optional.ofNullable(current.get(name));
    }

    public List<String> names() {
        return current.keySet().stream().sorted().toList();
    }

    public void clear() {
        for (String n : List.copyOf(current.keySet())) {
            remove(n);
        }
    }
}
