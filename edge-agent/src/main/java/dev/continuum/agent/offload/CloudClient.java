package dev.continuum.agent.offload;

import dev.continuum.agent.link.BearerCredential;
import dev.continuum.agent.link.Identity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.proto.inference.GRPCInferenceServiceGrpc;
import dev.continuum.proto.inference.ModelInferRequest;
import dev.continuum.proto.inference.ModelInferResponse;
import dev.continuum.proto.inference.ModelMetadataRequest;
import dev.continuum.proto.inference.ModelMetadataResponse;
import dev.continuum.proto.inference.ModelReadyRequest;
import dev.continuum.proto.inference.ModelReadyResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The transport of forwarded requests to the controller's OIP v2 endpoint, authenticated with the
 * device credential ({@code Authorization: Bearer ...}). REST goes over a pooled HTTP/1.1 keep-alive
 * {@link HttpClient} (connect timeout from {@code offload-connect-timeout}, answer timeout from
 * {@code offload-timeout}), the body passed through byte for byte; gRPC goes as gRPC over the agent's
 * channel to the controller (the one its link holds), the message passed through unchanged.
 *
 * <p>Unreachable — {@link CloudUnreachableException}: no connection, no answer in time, HTTP
 * 502/503/504, gRPC UNAVAILABLE or DEADLINE_EXCEEDED. Every other answer, errors included, is the
 * controller's and is returned (REST) or thrown as its {@link StatusRuntimeException} (gRPC).
 */
public final class CloudClient {
    /** Largest forwarded answer read; the local APIs accept requests this large. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI controller;
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<Channel> channel;
    private final Supplier<Identity> identity;

    /** A controller answer over REST: its status and body, as received. */
    public record HttpAnswer(int status, byte[] body) {
    }

    /**
     * @param controller the controller's base URL ({@code http://host:port})
     * @param http       the client (share one among agents in one process)
     * @param channel    the gRPC channel to the controller; null inside means not started
     */
    public CloudClient(URI controller, HttpClient http, Duration timeout, Supplier<Channel> channel,
                       Supplier<Identity> identity) {
        this.controller = controller;
        this.http = http;
        this.timeout = timeout;
        this.channel = channel;
        this.identity = identity;
    }

    /** An HTTP/1.1 client that keeps connections to the controller open between requests. */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI controller() {
        return controller;
    }

    /** {@code /v2/models/{m}/versions/{v}} plus {@code suffix} ("", "/ready" or "/infer"). */
    static String path(CloudTarget t, String suffix) {
        return "/v2/models/" + segment(t.model()) + "/versions/" + segment(t.version()) + suffix;
    }

    public HttpAnswer get(CloudTarget t, String suffix) throws CloudUnreachableException {
        return send(HttpRequest.newBuilder(uri(path(t, suffix))).GET());
    }

    public HttpAnswer post(CloudTarget t, String suffix, byte[] body) throws CloudUnreachableException {
        return send(HttpRequest.newBuilder(uri(path(t, suffix))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpAnswer send(HttpRequest.Builder b) throws CloudUnreachableException {
        b.timeout(timeout).header("Authorization", "Bearer " + credential());
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new CloudUnreachableException("no connection within " + seconds(connectTimeout()), e);
        } catch (HttpTimeoutException e) {
            throw new CloudUnreachableException("no answer within " + seconds(timeout), e);
        } catch (ConnectException e) {
            throw new CloudUnreachableException("connection refused", e);
        } catch (IOException e) {
            throw new CloudUnreachableException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudUnreachableException("interrupted", e);
        }
        int s = r.statusCode();
        if (s == 502 || s == 503 || s == 504) {
            throw new CloudUnreachableException("HTTP " + s + errorDetail(r.body()), null);
        }
        return new HttpAnswer(s, r.body());
    }

    public ModelInferResponse infer(ModelInferRequest request) throws CloudUnreachableException {
        return grpc(() -> stub().modelInfer(request));
    }

    public ModelMetadataResponse metadata(ModelMetadataRequest request) throws CloudUnreachableException {
        return grpc(() -> stub().modelMetadata(request));
    }

    public ModelReadyResponse ready(ModelReadyRequest request) throws CloudUnreachableException {
        return grpc(() -> stub().modelReady(request));
    }

    private <T> T grpc(Supplier<T> call) throws CloudUnreachableException {
        credential();
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.DEADLINE_EXCEEDED) {
                throw new CloudUnreachableException("no answer within " + seconds(timeout), e);
            }
            if (code == Status.Code.UNAVAILABLE) {
                throw new CloudUnreachableException(describe(e.getStatus()), e);
            }
            throw e;
        }
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() throws StatusRuntimeException {
        Channel ch = channel.get();
        if (ch == null) {
            throw Status.UNAVAILABLE.withDescription("the link to the controller is not started").asRuntimeException();
        }
        return GRPCInferenceServiceGrpc.newBlockingStub(ch).withCallCredentials(new BearerCredential(identity))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .withMaxInboundMessageSize(MAX_MESSAGE_BYTES).withMaxOutboundMessageSize(MAX_MESSAGE_BYTES);
    }

    private String credential() throws CloudUnreachableException {
        Identity id = identity.get();
        if (id == null) {
            throw new CloudUnreachableException("this device has not enrolled yet, so it has no credential", null);
        }
        return id.credential();
    }

    /** "connection refused" rather than gRPC's "io exception" when the cause says so. */
    static String describe(Status s) {
        for (Throwable c = s.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused";
            }
        }
        String d = s.getDescription();
        return d == null || d.isBlank() ? s.getCode().name() : d;
    }

    /** ": <message>" of an OIP error body {@code {"error": "..."}}, else "". */
    static String errorDetail(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            return error != null && error.isTextual() ? ": " + error.asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private Duration connectTimeout() {
        return http.connectTimeout().orElse(timeout);
    }

    private URI uri(String path) {
        String base = controller.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
