package dev.continuum.controller.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A controller error the client caused or must know about. {@link ProblemMapper} turns every one of
 * them into {@code application/problem+json} with the status, a stable problem type, a detail that
 * names the bad input, and — where one input is to blame — the {@code field}.
 */
public abstract class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final String field;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    protected ApiException(int status, String type, String title, String field, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
    }

    public int status() {
        return status;
    }

    /** Short kebab-case problem type, e.g. {@code not-found}; published as {@code urn:continuum:problem:<type>}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** The request field (JSON property, path or query parameter, header) at fault, or null. */
    public String field() {
        return field;
    }

    /** Extra members of the problem document, e.g. {@code node} and {@code opType} of a refused model. */
    public Map<String, Object> extensions() {
        return Collections.unmodifiableMap(extensions);
    }

    public ApiException with(String key, Object value) {
        if (value != null) {
            extensions.put(key, value);
        }
        return this;
    }

    /** Headers the response must carry besides the problem body (e.g. WWW-Authenticate). */
    public Map<String, String> headers() {
        return Map.of();
    }
}
