package dev.continuum.controller.agentlink;

import dev.continuum.controller.auth.Secrets;
import java.util.regex.Pattern;

/** Device credentials: 256 random bits with a recognisable prefix; stored as SHA-256 only. */
final class DeviceSecrets {
    static final String CREDENTIAL_PREFIX = "ctd_";
    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private DeviceSecrets() {
    }

    static String newCredential() {
        return Secrets.newToken(CREDENTIAL_PREFIX);
    }

    static String newDeviceId() {
        return Secrets.newId("dev-");
    }
}
