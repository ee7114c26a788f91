package dev.continuum.controller.telemetry;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(TelemetryEmbeddedProfile.class)
class TelemetryStoreEmbeddedTest extends TelemetryStoreContract {
}
