package dev.continuum.controller.rollout;

import dev.continuum.controller.support.EmbeddedProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(EmbeddedProfile.class)
class RolloutEmbeddedTest extends RolloutContract {
}
