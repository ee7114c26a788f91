package dev.continuum.controller.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * PostgreSQL at 127.0.0.1:5432, database {@code test}, in a schema of its own that Flyway cleans at
 * start. Classes using it carry {@link RequiresPostgres}, so they are skipped (and say so) when the
 * server is not reachable.
 */
public class PostgresProfile implements QuarkusTestProfile {
    public static final String SCHEMA = "continuum_controller_test";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "continuum.datastore", "postgresql",
                "quarkus.datasource.\"postgresql\".jdbc.url", PostgresCondition.JDBC_URL + "?currentSchema=" + SCHEMA,
                "quarkus.datasource.\"postgresql\".username", "postgres",
                "quarkus.datasource.\"postgresql\".password", "",
                "quarkus.flyway.\"postgresql\".schemas", SCHEMA,
                "quarkus.flyway.\"postgresql\".clean-at-start", "true",
                "continuum.data-dir", TestDirs.dataDir("postgresql").toString(),
                "continuum.auth.admin-token", Api.ADMIN_TOKEN,
                "continuum.registry.max-artifact-size", "16M");
    }
}
