package dev.continuum.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuum.controller.auth.Allowed;
import dev.continuum.controller.auth.Caller;
import dev.continuum.controller.auth.Role;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.registry.Views.ModelView;
import dev.continuum.controller.registry.Views.VersionView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;

/** Models, their versions and artifacts. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class ModelResource {
    @Inject
    RegistryService registry;

    @Inject
    PublishService publisher;

    @Inject
    ArtifactStore store;

    @Inject
    Caller caller;

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "List models by name; paginated with limit and cursor")
    public Page<ModelView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return registry.listModels(PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/{name}")
    @Allowed(Role.VIEWER)
    public Response get(@PathParam("name") String name) {
        var m = registry.getModel(name);
        return Response.ok(m.value()).tag(unquote(m.etag())).build();
    }

    @PATCH
    @Path("/{name}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Merge-patch description and labels (a null label value removes it); honours If-Match")
    public Response patch(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                          JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "expected a JSON object with 'description' and/or 'labels'");
        }
        Map<String, String> labels = null;
        var fields = body.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!f.equals("description") && !f.equals("labels")) {
                throw new InvalidInputException(f, "unknown field '" + f + "'; a model patch may set description and labels");
            }
        }
        JsonNode d = body.get("description");
        if (d != null && !d.isNull() && !d.isTextual()) {
            throw new InvalidInputException("description", "description must be a string or null");
        }
        JsonNode l = body.get("labels");
        if (l != null) {
            if (!l.isObject()) {
                throw new InvalidInputException("labels", "labels must be an object of strings");
            }
            labels = new LinkedHashMap<>();
            for (var it = l.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                    throw new InvalidInputException("labels." + e.getKey(), "label values must be strings or null");
                }
                labels.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        }
        var m = registry.patchModel(name, ifMatch, Optional.ofNullable(d == null || d.isNull() ? null : d.asText()),
                d != null, labels);
        return Response.ok(m.value()).tag(unquote(m.etag())).build();
    }

    @DELETE
    @Path("/{name}")
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Delete a model with its aliases and versions (409 if a version is in use)")
    public Response delete(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        publisher.deleteModel(name, ifMatch);
        return Response.noContent().build();
    }

    @GET
    @Path("/{name}/versions")
    @Allowed(Role.VIEWER)
    @Operation(summary = "List a model's versions in publication order; paginated with limit and cursor")
    public Page<VersionView> versions(@PathParam("name") String name, @QueryParam("limit") Integer limit,
                                      @QueryParam("cursor") String cursor) {
        return registry.listVersions(name, PageRequest.of(limit, cursor));
    }

    @PUT
    @Path("/{name}/versions/{version}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Allowed(Role.DEPLOYER)
    @Operation(summary = "Publish a version: the body is the ONNX file. 201 when created, 200 when these exact "
            + "bytes were already published as this version, 409 for different bytes, 422 when the engine refuses it")
    public Response publish(@PathParam("name") String name, @PathParam("version") String version,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        var r = publisher.publish(name, version, body, contentLength == null ? -1 : contentLength, caller.name());
        Response.ResponseBuilder rb = r.created()
                ? Response.created(URI.create("/api/v1/models/" + name + "/versions/" + version))
                : Response.ok();
        return rb.entity(r.version()).tag(r.version().sha256()).build();
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Allowed(Role.VIEWER)
    public Response version(@PathParam("name") String name, @PathParam("version") String version) {
        VersionView v = registry.getVersion(name, version);
        return Response.ok(v).tag(v.sha256()).build();
    }

    @DELETE
    @Path("/{name}/versions/{version}")
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Delete a version (409 while an alias or a rollout uses it)")
    public Response deleteVersion(@PathParam("name") String name, @PathParam("version") String version) {
        publisher.deleteVersion(name, version);
        return Response.noContent().build();
    }

    @GET
    @Path("/{name}/versions/{version}/artifact")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Allowed(Role.VIEWER)
    @Operation(summary = "Download the ONNX file; honours Range (one range: 206 with Content-Range, 416 when unsatisfiable)")
    public Response artifact(@PathParam("name") String name, @PathParam("version") String version,
                             @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        VersionView v = registry.getVersion(name, version);
        java.nio.file.Path file = store.path(v.sha256());
        String etag = "\"" + v.sha256() + "\"";
        boolean honourRange = ifRange == null || ifRange.trim().equals(etag);
        Optional<ByteRange> r = honourRange ? ByteRange.parse(range, v.sizeBytes()) : Optional.empty();
        Response.ResponseBuilder rb;
        if (r.isPresent()) {
            ByteRange br = r.get();
            rb = Response.status(206).entity(new PathPart(file, br.first(), br.length()))
                    .header("Content-Range", br.contentRange(v.sizeBytes()));
        } else {
            rb = Response.ok(new PathPart(file, 0, v.sizeBytes()));
        }
        return rb.type(MediaType.APPLICATION_OCTET_STREAM_TYPE).tag(v.sha256())
                .header("Accept-Ranges", "bytes")
                .header("Content-Disposition", "attachment; filename=\"" + name + "-" + version + ".onnx\"")
                .build();
    }

    private static String unquote(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
