package dev.continuum.controller.auth;

import dev.continuum.controller.config.ContinuumConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Makes sure an operator can reach a fresh controller: installs {@code CONTINUUM_ADMIN_TOKEN} when it
 * is set, otherwise generates one admin token when no API token exists yet and prints it once.
 */
public class AdminTokenInitializer {
    private static final Logger LOG = Logger.getLogger(AdminTokenInitializer.class);

    @Inject
    TokenService tokens;

    @Inject
    ContinuumConfig config;

    void onStart(@Observes StartupEvent event) {
        var configured = config.auth().adminToken().filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            String secret = configured.get().trim();
            if (secret.length() < 16) {
                throw new IllegalStateException("continuum.auth.admin-token (CONTINUUM_ADMIN_TOKEN) must have at least "
                        + "16 characters");
            }
            if (tokens.install(Secrets.newId("tok_"), "admin (CONTINUUM_ADMIN_TOKEN)", Role.ADMIN, secret)) {
                LOG.info("installed the admin token from CONTINUUM_ADMIN_TOKEN");
            }
            return;
        }
        if (tokens.countApiTokens() > 0) {
            return;
        }
        String secret = Secrets.newToken(TokenService.API_PREFIX);
        try {
            if (tokens.install("tok_initial_admin", "initial admin", Role.ADMIN, secret)) {
                LOG.warnf("%n%n  Generated the first admin API token (shown only this once; store it safely):%n"
                        + "      %s%n  Log in with:  continuum login --url <controller URL> --token <token>%n", secret);
            }
        } catch (RuntimeException e) {
            // another replica created the initial admin token at the same moment: theirs is printed
            LOG.debugf("initial admin token already created elsewhere: %s", e.getMessage());
        }
    }
}
