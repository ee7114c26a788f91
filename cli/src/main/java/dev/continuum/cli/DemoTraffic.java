package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * Inference traffic against one agent's local OIP endpoint, as an application on the device would
 * send it: a fixed rate of requests with random inputs, the latency of each kept for the last few
 * hundred requests.
 */
final class DemoTraffic implements Runnable {
    private static final int WINDOW = 400;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String agentUrl;
    private final String model;
    private final long periodMillis;
    private final long[] latencyMicros = new long[WINDOW];
    private long requests;
    private long errors;
    private String lastError;
    private volatile boolean running = true;

    DemoTraffic(String agentUrl, String model, int requestsPerSecond) {
        this.agentUrl = agentUrl;
        this.model = model;
        this.periodMillis = Math.max(1, 1000 / requestsPerSecond);
    }

    /** Snapshot of the traffic so far: counts and the latency quantiles of the recent window. */
    record Stats(long requests, long errors, double p50Millis, double p95Millis, String lastError) {
    }

    synchronized Stats stats() {
        int n = (int) Math.min(requests, WINDOW);
        long[] recent = Arrays.copyOf(latencyMicros, n);
        Arrays.sort(recent);
        return new Stats(requests, errors, quantile(recent, 0.5), quantile(recent, 0.95), lastError);
    }

    private static double quantile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(q * sorted.length) - 1] / 1000.0;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        Random random = new Random(agentUrl.hashCode());
        String body = null;
        while (running) {
            if (body == null) { // not served yet: wait for the model without counting errors
                try {
                    body = requestBody(random);
                } catch (IOException e) {
                    synchronized (this) {
                        lastError = "waiting for the model: " + e.getMessage();
                    }
                    sleep(500);
                    continue;
                } catch (InterruptedException e) {
                    return;
                }
            }
            long started = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agentUrl + "/v2/models/" + model + "/infer"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                record(System.nanoTime() - started, r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body());
            } catch (IOException e) {
                record(System.nanoTime() - started, e.toString());
            } catch (InterruptedException e) {
                return;
            }
            sleep(periodMillis - (System.nanoTime() - started) / 1_000_000);
        }
    }

    private synchronized void record(long nanos, String error) {
        if (error != null) {
            errors++;
            lastError = error.length() > 200 ? error.substring(0, 200) : error;
            return;
        }
        latencyMicros[(int) (requests % WINDOW)] = nanos / 1000;
        requests++;
    }

    /** A request for the model's first input with random values, its shape read from the model's metadata. */
    private String requestBody(Random random) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agentUrl + "/v2/models/" + model))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("model metadata: HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode input = ApiClient.JSON.readTree(r.body()).path("inputs").path(0);
        ObjectNode req = ApiClient.JSON.createObjectNode();
        ObjectNode in = req.putArray("inputs").addObject();
        in.put("name", input.path("name").asText());
        in.put("datatype", input.path("datatype").asText("FP32"));
        ArrayNode shape = in.putArray("shape");
        long elements = 1;
        for (JsonNode d : input.path("shape")) {
            long dim = Math.max(1, d.asLong()); // a dynamic dim (-1) becomes 1: batch 1
            shape.add(dim);
            elements *= dim;
        }
        ArrayNode data = in.putArray("data");
        for (long i = 0; i < elements; i++) {
            data.add(random.nextFloat());
        }
        return ApiClient.JSON.writeValueAsString(req);
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
