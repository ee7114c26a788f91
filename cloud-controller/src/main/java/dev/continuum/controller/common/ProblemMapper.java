package dev.continuum.controller.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where errors become HTTP responses: every error leaves as {@code
 * application/problem+json} (RFC 9457) with {@code type}, {@code title}, {@code status}, {@code
 * detail}, {@code instance} and, when one input is to blame, {@code field}. Clients never see a
 * stack trace; unexpected failures are logged with an id that the response repeats.
 */
public class ProblemMapper {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Inject
    ObjectMapper json;

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Map<String, Object> body = problem(e.status(), e.type(), e.title(), e.getMessage(), uri);
        if (e.field() != null) {
            body.put("field", e.field());
        }
        body.putAll(e.extensions());
        Response.ResponseBuilder r = respond(e.status(), body);
        e.headers().forEach(r::header);
        return r.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = path(m);
        }
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            detail = "unknown field '" + field + "'; expected one of " + u.getKnownPropertyIds();
        } else if (field != null) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            detail = "field '" + field + "' has an invalid value: " + why;
        } else {
            detail = "the body is not valid JSON: " + e.getOriginalMessage();
        }
        Map<String, Object> body = problem(400, "invalid-input", "Bad Request", detail, uri);
        if (field != null) {
            body.put("field", field);
        }
        return respond(400, body).build();
    }

    /** Takes precedence over Quarkus' built-in mapper, which answers with an empty body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) {
                return json(j, uri);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.StatusType st = e.getResponse().getStatusInfo();
        String type = st.getReasonPhrase().toLowerCase().replace(' ', '-');
        Map<String, Object> body = problem(status, type, st.getReasonPhrase(), e.getMessage(), uri);
        Response.ResponseBuilder r = respond(status, body);
        e.getResponse().getHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type")) {
                v.forEach(val -> r.header(k, val));
            }
        });
        return r.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, uri == null ? "?" : uri.getPath());
        Map<String, Object> body = problem(500, "internal-error", "Internal Server Error",
                "the controller failed unexpectedly; the server log names error " + errorId, uri);
        body.put("errorId", errorId);
        return respond(500, body).build();
    }

    private static Map<String, Object> problem(int status, String type, String title, String detail, UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:continuum:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (uri != null) {
            body.put("instance", uri.getRequestUri().getRawPath());
        }
        return body;
    }

    private Response.ResponseBuilder respond(int status, Map<String, Object> body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a problem document", e);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(text);
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
