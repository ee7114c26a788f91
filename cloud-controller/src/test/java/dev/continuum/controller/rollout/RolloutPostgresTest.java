package dev.continuum.controller.rollout;

import dev.continuum.controller.support.PostgresProfile;
import dev.continuum.controller.support.RequiresPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
@RequiresPostgres
class RolloutPostgresTest extends RolloutContract {
}
