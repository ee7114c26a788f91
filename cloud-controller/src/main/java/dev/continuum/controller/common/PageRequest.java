package dev.continuum.controller.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keyset pagination: {@code ?limit=N&cursor=C}. The cursor is opaque to clients (it encodes the sort
 * key of the last item served), so pages stay stable while rows are added or removed.
 *
 * @param limit  items per page, 1..{@value #MAX_LIMIT}
 * @param after  sort key of the last item of the previous page, or null for the first page
 */
public record PageRequest(int limit, String after) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Parses the query parameters; both may be null. */
    public static PageRequest of(Integer limit, String cursor) {
        return new PageRequest(limit == null ? DEFAULT_LIMIT : limit, decode(cursor));
    }

    public static String encode(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor", "cursor '" + cursor + "' is not one this API issued; "
                    + "pass the nextCursor of the previous page unchanged");
        }
    }
}
