package dev.continuum.controller.common;

/**
 * Strong ETags from an entity's optimistic-lock version, and the {@code If-Match} check that makes
 * updates safe against lost writes: a client sends the ETag it read, and gets 412 if the resource
 * changed since. Updates without {@code If-Match} are applied unconditionally.
 */
public final class Etags {
    private Etags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** Throws 412 unless {@code ifMatch} is absent, {@code *}, or lists the current ETag. */
    public static void checkIfMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = of(currentVersion);
        for (String candidate : ifMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(current)) {
                return;
            }
        }
        throw new PreconditionFailedException(ifMatch, current);
    }
}
