package dev.continuum.controller.registry;

import dev.continuum.controller.support.EmbeddedProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(EmbeddedProfile.class)
class RegistryEmbeddedTest extends RegistryContract {
}
