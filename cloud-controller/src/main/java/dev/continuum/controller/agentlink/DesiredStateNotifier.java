package dev.continuum.controller.agentlink;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the sync streams open on this controller process that a device's desired state changed.
 * In-process only: with several replicas, a change made on one replica must reach streams held by
 * the others (PostgreSQL LISTEN/NOTIFY on commit, or each stream polling its device's revision);
 * see docs/agent/README.md.
 */
@ApplicationScoped
public class DesiredStateNotifier {
    /** Called (on a worker thread of the stream) when the device's desired state may have changed. */
    public interface Listener {
        void changed();
    }

    private final ConcurrentHashMap<String, Set<Listener>> listeners = new ConcurrentHashMap<>();

    public void register(String deviceId, Listener l) {
        listeners.computeIfAbsent(deviceId, k -> ConcurrentHashMap.newKeySet()).add(l);
    }

    public void unregister(String deviceId, Listener l) {
        listeners.computeIfPresent(deviceId, (k, set) -> {
            set.remove(l);
            return set.isEmpty() ? null : set;
        });
    }

    /** Call after the transaction that changed the devices' assignments has committed. */
    public void changed(Collection<String> deviceIds) {
        for (String id : deviceIds) {
            Set<Listener> set = listeners.get(id);
            if (set != null) {
                set.forEach(Listener::changed);
            }
        }
    }

    /** Sync streams open for a device on this process. */
    public int streams(String deviceId) {
        Set<Listener> set = listeners.get(deviceId);
        return set == null ? 0 : set.size();
    }
}
