package dev.continuum.controller.common;

import java.util.Map;

/** A {@code Range} header that selects no byte of the representation. */
public class RangeNotSatisfiableException extends ApiException {
    private final long sizeBytes;

    public RangeNotSatisfiableException(String range, long sizeBytes) {
        super(416, "range-not-satisfiable", "Range Not Satisfiable", "Range",
                "Range '" + range + "' selects no byte of a " + sizeBytes + "-byte artifact");
        this.sizeBytes = sizeBytes;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Range", "bytes */" + sizeBytes);
    }
}
