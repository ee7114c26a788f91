package dev.continuum.controller.inference;

import dev.continuum.oip.OipException;
import dev.continuum.oip.OipJson;
import dev.continuum.oip.OipTypes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Open Inference Protocol v2 over REST, with the paths and JSON of the edge agent's local API:
 * <pre>
 *   GET  /v2   GET /v2/health/live   GET /v2/health/ready                      (no credential)
 *   GET  /v2/models/{m}[/versions/{v}]           metadata
 *   GET  /v2/models/{m}[/versions/{v}]/ready     readiness
 *   POST /v2/models/{m}[/versions/{v}]/infer     inference
 * </pre>
 * Errors are {@code {"error": "..."}} with 400, 401, 403, 404, 413, 503 (with {@code Retry-After}) or 500.
 */
@Path("/v2")
@Tag(name = "inference")
public class OipRestResource {
    private static final Logger LOG = Logger.getLogger(OipRestResource.class);
    static final String SERVER_NAME = "continuum-controller";

    @Inject
    CloudInference inference;

    @Inject
    InferenceAuth auth;

    @Inject
    InferenceConfig config;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String serverVersion;

    @GET
    @Operation(summary = "OIP server metadata")
    public Response server() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", SERVER_NAME);
        m.put("version", serverVersion);
        m.put("extensions", List.of());
        return json(200, OipJson.object(m));
    }

    @GET
    @Path("/health/live")
    public Response live() {
        return json(200, OipJson.object(Map.of("live", true)));
    }

    @GET
    @Path("/health/ready")
    public Response ready() {
        return json(200, OipJson.object(Map.of("ready", true)));
    }

    @GET
    @Path("/models/{model}")
    @Operation(summary = "Metadata of the default version (the 'latest' alias, else the newest version)")
    public Response metadata(@PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authz) {
        return metadata(model, null, authz);
    }

    @GET
    @Path("/models/{model}/versions/{version}")
    @Operation(summary = "Metadata of a model version (or of the version an alias names)")
    public Response metadata(@PathParam("model") String model, @PathParam("version") String version,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authz) {
        return answer(() -> {
            auth.authenticate(authz);
            CloudInference.Metadata m = inference.metadata(model, version);
            return json(200, OipJson.metadata(m.name(), List.of(m.version()), OipTypes.PLATFORM_ONNX, m.inputs(),
                    m.outputs()));
        });
    }

    @GET
    @Path("/models/{model}/ready")
    public Response modelReady(@PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authz) {
        return modelReady(model, null, authz);
    }

    @GET
    @Path("/models/{model}/versions/{version}/ready")
    public Response modelReady(@PathParam("model") String model, @PathParam("version") String version,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authz) {
        return answer(() -> {
            auth.authenticate(authz);
            boolean ready = inference.ready(model, version);
            return json(ready ? 200 : 503, OipJson.object(Map.of("name", model, "ready", ready)));
        });
    }

    @POST
    @Path("/models/{model}/infer")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Infer with the default version (the 'latest' alias, else the newest version)")
    public Response infer(@PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authz,
                          @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        return infer(model, null, authz, length, body);
    }

    @POST
    @Path("/models/{model}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Infer with a model version (or with the version an alias names)")
    public Response infer(@PathParam("model") String model, @PathParam("version") String version,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authz,
                          @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        return answer(() -> {
            auth.authenticate(authz);
            OipJson.Request[] parsed = new OipJson.Request[1];
            CloudInference.Result r = inference.infer(model, version, () -> {
                parsed[0] = OipJson.parseInferRequest(read(body, length));
                return new CloudInference.Request(parsed[0].inputs(), parsed[0].outputs());
            });
            return json(200, OipJson.inferResponse(r.model(), r.version(), r.outputs(), parsed[0].id()));
        });
    }

    private byte[] read(InputStream body, Long length) {
        long max = config.maxRequestSize().asLongValue();
        if (length != null && length > max) {
            throw new OipException(413, "request body of " + length + " bytes exceeds the limit of " + max
                    + " (continuum.inference.max-request-size)");
        }
        try {
            byte[] b = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) {
                throw new OipException(413, "request body exceeds the limit of " + max
                        + " bytes (continuum.inference.max-request-size)");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body: " + e.getMessage(), e);
        }
    }

    private Response answer(Supplier<Response> work) {
        try {
            return work.get();
        } catch (OipException e) {
            Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                    .entity(OipJson.error(e.getMessage()));
            if (e.status() == 503) {
                r.header("Retry-After", retryAfterSeconds(config));
            } else if (e.status() == 401) {
                r.header("WWW-Authenticate", "Bearer realm=\"continuum\"");
            }
            return r.build();
        } catch (RuntimeException e) {
            String errorId = UUID.randomUUID().toString();
            LOG.errorf(e, "inference request failed, error %s", errorId);
            return json(500, OipJson.error("internal error; the controller log names error " + errorId));
        }
    }

    /** {@code continuum.inference.retry-after} in whole seconds, at least 1. */
    static long retryAfterSeconds(InferenceConfig config) {
        return Math.max(1, (config.retryAfter().toMillis() + 999) / 1000);
    }

    private static Response json(int status, byte[] body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
