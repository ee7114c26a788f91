package dev.continuum.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A controller faked with the JDK's HttpServer: each "METHOD path?query" answers the responses last set for it
 * in order, repeating the last one; anything else is a 404 problem. Requests and bodies are recorded.
 */
final class FakeController implements AutoCloseable {
    /** One answer: status and JSON body; {@code then} runs after it was sent. */
    record Answer(int status, String body, Runnable then) {
        static Answer ok(String body) {
            return new Answer(200, body, null);
        }
    }

    final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();

    FakeController() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Replaces what the route answers. */
    FakeController on(String key, Answer... answers) {
        routes.put(key, new ArrayDeque<>(List.of(answers)));
        return this;
    }

    FakeController on(String key, int status, String body) {
        return on(key, new Answer(status, body, null));
    }

    private void handle(HttpExchange ex) throws IOException {
        String key = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        requests.add(key);
        bodies.put(key, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Deque<Answer> queue = routes.get(key);
        Answer a;
        if (queue == null || queue.isEmpty()) {
            a = new Answer(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no route " + key + "\"}", null);
        } else {
            synchronized (queue) {
                a = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", a.status() < 300 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(a.status(), b.length);
        ex.getResponseBody().write(b);
        ex.close();
        if (a.then() != null) {
            a.then().run();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
