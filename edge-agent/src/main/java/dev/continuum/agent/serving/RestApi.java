package dev.continuum.agent.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.continuum.agent.Component;
import dev.continuum.agent.offload.CloudClient.HttpAnswer;
import dev.continuum.agent.offload.CloudTarget;
import dev.continuum.agent.offload.Offloader;
import dev.continuum.oip.OipException;
import dev.continuum.oip.OipJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open Inference Protocol v2 over REST on the JDK's HTTP server:
 * <pre>
 *   GET  /v2/health/live   GET /v2/health/ready   GET /v2
 *   GET  /v2/models/{m}[/versions/{v}]           metadata
 *   GET  /v2/models/{m}[/versions/{v}]/ready     readiness
 *   POST /v2/models/{m}[/versions/{v}]/infer     inference
 * </pre>
 * Errors are {@code {"error": "..."}} with 400 (bad input, malformed JSON), 404 (unknown model or
 * route), 405, 413 or 500. A model placed in the cloud is answered by the controller through the
 * {@link Offloader}: the body goes through unchanged and the controller's status and body come back.
 */
public final class RestApi implements Component {
    private static final Logger LOG = Logger.getLogger(RestApi.class.getName());
    private static final Pattern MODEL_PATH =
            Pattern.compile("/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");
    /** Largest request body accepted; a 64 MB heap must survive a hostile client. */
    static final int MAX_BODY_BYTES = 16 << 20;

    static {
        // The JDK server writes a response's headers and body separately and leaves Nagle's algorithm on, so
        // a keep-alive client's next request waits for the delayed ACK: 44 ms per request on loopback against
        // about 1 ms with TCP_NODELAY. Read once, when the first HttpServer is created in this JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final InferenceService service;
    private final Offloader offloader;
    private final String bind;
    private final int port;
    private final int threads;
    private HttpServer server;
    private ExecutorService executor;

    public RestApi(InferenceService service, String bind, int port, int threads) {
        this(service, Offloader.none(), bind, port, threads);
    }

    public RestApi(InferenceService service, Offloader offloader, String bind, int port, int threads) {
        this.service = service;
        this.offloader = offloader;
        this.bind = bind;
        this.port = port;
        this.threads = threads;
    }

    @Override
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "oip-rest");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info(() -> "OIP v2 REST listening on http://" + bind + ":" + port());
    }

    /** The bound port (the actual one when configured as 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public Health health() {
        return new Health("rest", server != null, server == null ? "stopped" : "listening on " + bind + ":" + port());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex, System.nanoTime());
            } catch (OipException e) {
                send(ex, e.status(), OipJson.error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request " + ex.getRequestURI() + " failed", e);
                send(ex, 500, OipJson.error("internal error: " + e));
            }
        }
    }

    private void route(HttpExchange ex, long startNanos) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/v2/health/live" -> {
                requireMethod(method, "GET");
                send(ex, 200, OipJson.object(Map.of("live", true)));
                return;
            }
            case "/v2/health/ready" -> {
                requireMethod(method, "GET");
                boolean ready = service.serverReady();
                send(ex, ready ? 200 : 503, OipJson.object(Map.of("ready", ready)));
                return;
            }
            case "/v2", "/v2/" -> {
                requireMethod(method, "GET");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", InferenceService.SERVER_NAME);
                m.put("version", service.agentVersion());
                m.put("extensions", java.util.List.of());
                send(ex, 200, OipJson.object(m));
                return;
            }
            default -> {
            }
        }
        Matcher m = MODEL_PATH.matcher(path);
        if (!m.matches()) {
            throw OipException.notFound("no such endpoint: " + method + " " + path);
        }
        String model = decode(m.group(1));
        String version = m.group(2) == null ? null : decode(m.group(2));
        String action = m.group(3) == null ? "" : m.group(3);
        requireMethod(method, action.equals("/infer") ? "POST" : "GET");
        Optional<CloudTarget> cloud = offloader.target(model, version);
        if (cloud.isPresent()) {
            HttpAnswer a = forward(ex, cloud.get(), action, startNanos);
            send(ex, a.status(), a.body());
            return;
        }
        switch (action) {
            case "/ready" -> send(ex, 200, ready(model, version));
            case "/infer" -> send(ex, 200, infer(model, version, () -> readBody(ex), startNanos));
            default -> send(ex, 200, metadata(model, version));
        }
    }

    /** A request for a model placed in the cloud: the controller's answer, or the local one as a fallback. */
    private HttpAnswer forward(HttpExchange ex, CloudTarget t, String action, long startNanos) throws IOException {
        String model = t.model();
        String version = t.version();
        return switch (action) {
            case "/infer" -> {
                byte[] body = readBody(ex);
                yield offloader.infer(t, startNanos, body.length, () -> offloader.client().post(t, action, body),
                        a -> a.status() == 200, () -> new HttpAnswer(200, infer(model, version, () -> body, startNanos)));
            }
            case "/ready" -> offloader.query(t, () -> offloader.client().get(t, action),
                    () -> new HttpAnswer(200, ready(model, version)));
            default -> offloader.query(t, () -> offloader.client().get(t, action),
                    () -> new HttpAnswer(200, metadata(model, version)));
        };
    }

    private byte[] ready(String model, String version) {
        if (!service.modelReady(model, version)) {
            service.metadata(model, version); // 404 naming the model or version
        }
        return OipJson.object(Map.of("name", model, "ready", true));
    }

    private byte[] metadata(String model, String version) {
        InferenceService.Metadata md = service.metadata(model, version);
        return OipJson.metadata(md.name(), java.util.List.of(md.version()), InferenceService.PLATFORM, md.inputs(),
                md.outputs());
    }

    /** Runs locally; an unknown model is 404 whatever the body, a served one records the request when closed. */
    private byte[] infer(String model, String version, Body body, long startNanos) {
        try (InferenceService.Call call = service.begin(model, version, startNanos)) {
            OipJson.Request req = OipJson.parseInferRequest(body.read());
            InferenceService.Result r = call.infer(req.inputs(), req.outputs());
            byte[] answer = OipJson.inferResponse(r.model(), r.version(), r.outputs(), req.id());
            call.succeeded();
            return answer;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A request body, read when the model is known to be served. */
    private interface Body {
        byte[] read() throws IOException;
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null && Long.parseLong(len.trim()) > MAX_BODY_BYTES) {
            throw new OipException(413, "request body of " + len + " bytes exceeds the limit of " + MAX_BODY_BYTES);
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new OipException(413, "request body exceeds the limit of " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new OipException(405, "method " + method + " is not allowed here; use " + allowed);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
