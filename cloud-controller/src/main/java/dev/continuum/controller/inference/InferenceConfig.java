package dev.continuum.controller.inference;

import dev.continuum.controller.auth.Role;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Cloud inference settings under {@code continuum.inference.*}; see docs/controller/inference.md. */
@ConfigMapping(prefix = "continuum.inference")
public interface InferenceConfig {
    /** Inferences that run at once, each on a compute thread of its own; 0 means one per available core. */
    @WithDefault("0")
    int maxConcurrent();

    /** Admitted requests that may wait for a compute thread; beyond it requests are refused with 503. */
    @WithDefault("64")
    int maxQueue();

    /** Longest a request waits for a compute thread before it is refused with 503. */
    @WithDefault("10s")
    Duration queueTimeout();

    /** The {@code Retry-After} of a refusal for overload. */
    @WithDefault("1s")
    Duration retryAfter();

    /** Threads one inference may use (intra-op parallelism of the tensor engine). */
    @WithDefault("1")
    int threadsPerRun();

    /** Largest REST inference request body. */
    @WithDefault("16M")
    MemorySize maxRequestSize();

    /** How long a resolved model version (and the target of an alias) is reused before the registry is asked again. */
    @WithDefault("5s")
    Duration resolveCacheTtl();

    Cache cache();

    Stats stats();

    Auth auth();

    interface Cache {
        /** Loaded model versions kept in memory, least recently used evicted first. */
        @WithDefault("8")
        int maxModels();

        /** Total artifact size of the loaded model versions kept in memory. */
        @WithDefault("2G")
        MemorySize maxBytes();
    }

    interface Stats {
        /** Latency percentiles cover this much recent time. */
        @WithDefault("5m")
        Duration window();

        /** The window moves in this many steps; old measurements drop out one slice at a time. */
        @WithDefault("10")
        int slices();
    }

    interface Auth {
        /** The least role an API token needs to infer; device credentials may always infer. */
        @WithDefault("viewer")
        Role apiTokenRole();

        /** How long an accepted credential is trusted before the database is asked again. */
        @WithDefault("30s")
        Duration cacheTtl();
    }
}
