package dev.continuum.controller.inference;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Values reused for a while instead of being looked up on every request (credentials, resolved
 * versions). Failed lookups are not cached. A zero time to live turns caching off. When more than
 * {@code maxEntries} keys are held the cache starts over, which bounds its memory.
 */
final class TtlCache<K, V> {
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    private record Entry<V>(V value, long expiresAtNanos) {
    }

    TtlCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
    }

    /** The cached value of {@code key}, or the value {@code lookup} gives now (which is then cached). */
    V get(K key, Function<K, V> lookup) {
        if (ttlNanos <= 0) {
            return lookup.apply(key);
        }
        long now = nanoClock.getAsLong();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.expiresAtNanos() < 0) {
            return e.value();
        }
        V value = lookup.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now + ttlNanos));
        return value;
    }

    void clear() {
        entries.clear();
    }
}
