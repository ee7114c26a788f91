package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/** The controller's REST API over java.net.http; every failure becomes a {@link CliException} with its exit code. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    ApiClient(String url, String token) {
        if (url == null || url.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no controller URL: run 'continuum login --url URL --token TOKEN' "
                    + "or set CONTINUUM_URL");
        }
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.AUTH, "no API token: run 'continuum login --url URL --token TOKEN' "
                    + "or set CONTINUUM_TOKEN");
        }
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE().build());
    }

    JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))).build());
    }

    JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))).build());
    }

    /** Streams a file as the body, reporting bytes sent to {@code progress}. */
    JsonNode putFile(String path, Path file, LongConsumer progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size);
        return send(request(path).header("Content-Type", "application/octet-stream").PUT(body).build());
    }

    private HttpRequest.Builder request(String path) {
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "invalid controller URL '" + base + "': " + e.getMessage());
        }
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest req) {
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot connect to " + base + ": " + describe(e));
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "no answer from " + base + ": " + describe(e));
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "connection to " + base + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted");
        }
        JsonNode body = parse(r.body());
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return body;
        }
        String message = problem(status, body, r.body());
        throw new CliException(status == 401 || status == 403 ? ExitCodes.AUTH : ExitCodes.FAILED, message);
    }

    private static String problem(int status, JsonNode body, String raw) {
        if (body != null && body.has("detail")) {
            StringBuilder sb = new StringBuilder(body.path("title").asText("HTTP " + status)).append(" (")
                    .append(status).append("): ").append(body.path("detail").asText());
            if (body.hasNonNull("field")) {
                sb.append(" [field: ").append(body.get("field").asText()).append(']');
            }
            return sb.toString();
        }
        return "HTTP " + status + (raw == null || raw.isBlank() ? "" : ": " + raw.strip());
    }

    private static JsonNode parse(String s) {
        if (s == null || s.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static InputStream counting(Path file, LongConsumer progress) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                long sent;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        sent += n;
                        progress.accept(sent);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A progress bar on stderr, redrawn at most once per percent. */
    static LongConsumer progressBar(PrintStream err, long total) {
        return new LongConsumer() {
            int lastPercent = -1;

            @Override
            public void accept(long sent) {
                int percent = total == 0 ? 100 : (int) (sent * 100 / total);
                if (percent != lastPercent) {
                    lastPercent = percent;
                    int filled = percent * 30 / 100;
                    err.printf("\r[%s%s] %3d%% %,d / %,d bytes", "#".repeat(filled), " ".repeat(30 - filled), percent,
                            sent, total);
                    if (sent >= total) {
                        err.println();
                    }
                    err.flush();
                }
            }
        };
    }
}
