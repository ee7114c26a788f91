package dev.continuum.controller.common;

/** The named resource does not exist; carries its kind and id. */
public class NotFoundException extends ApiException {
    private final String kind;
    private final String id;

    public NotFoundException(String kind, String id) {
        this(kind, id, null);
    }

    public NotFoundException(String kind, String id, String field) {
        super(404, "not-found", "Not Found", field, kind + " '" + id + "' not found");
        this.kind = kind;
        this.id = id;
        with("kind", kind).with("id", id);
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
