package dev.continuum.controller.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Everything the controller reads from configuration under {@code continuum.*}. */
@ConfigMapping(prefix = "continuum")
public interface ContinuumConfig {
    /** Which datastore is active: the embedded H2 file database or PostgreSQL. */
    @WithDefault("embedded")
    Datastore datastore();

    /** Holds the embedded database and the artifact store ({@code CONTINUUM_DATA_DIR}). */
    @WithDefault("./data")
    Path dataDir();

    Registry registry();

    Auth auth();

    enum Datastore {
        EMBEDDED, POSTGRESQL
    }

    interface Registry {
        /** Largest artifact an upload may carry. */
        @WithDefault("2G")
        MemorySize maxArtifactSize();
    }

    interface Auth {
        /** The admin token to install at startup ({@code CONTINUUM_ADMIN_TOKEN}); generated once when absent. */
        Optional<String> adminToken();
    }
}
