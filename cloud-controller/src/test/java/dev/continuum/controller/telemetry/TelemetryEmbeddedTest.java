package dev.continuum.controller.telemetry;

import dev.continuum.controller.support.RequiresMosquitto;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(TelemetryEmbeddedProfile.class)
@RequiresMosquitto
class TelemetryEmbeddedTest extends TelemetryContract {
}
