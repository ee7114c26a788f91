package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.RequiresPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(TelemetryPostgresProfile.class)
@RequiresPostgres
class TelemetryStorePostgresTest extends TelemetryStoreContract {
}
