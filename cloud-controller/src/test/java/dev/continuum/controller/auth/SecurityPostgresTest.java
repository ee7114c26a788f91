package dev.continuum.controller.auth;

import dev.continuum.controller.support.PostgresProfile;
import dev.continuum.controller.support.RequiresPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
@RequiresPostgres
class SecurityPostgresTest extends SecurityContract {
}
