package dev.continuum.controller.agentlink;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Artifact bytes sent to agents, per artifact and in total ({@code continuum_artifact_bytes_sent_total}). */
@ApplicationScoped
public class TransferStats {
    private final ConcurrentHashMap<String, AtomicLong> bytesBySha = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry meters;

    void sent(String sha256, int bytes) {
        bytesBySha.computeIfAbsent(sha256, k -> new AtomicLong()).addAndGet(bytes);
        meters.counter("continuum.artifact.bytes.sent").increment(bytes);
    }

    /** Bytes of one artifact sent since the controller started. */
    public long bytesSent(String sha256) {
        AtomicLong n = bytesBySha.get(sha256);
        return n == null ? 0 : n.get();
    }
}
