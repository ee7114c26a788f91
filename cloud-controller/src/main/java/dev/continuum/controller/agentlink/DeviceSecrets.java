package dev.continuum.controller.agentlink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Device credentials: 256 random bits with a recognisable prefix; stored as SHA-256 only. */
final class DeviceSecrets {
    static final String CREDENTIAL_PREFIX = "ctd_";
    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceSecrets() {
    }

    static String newCredential() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return CREDENTIAL_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String newDeviceId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "dev-" + HexFormat.of().formatHex(b);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
