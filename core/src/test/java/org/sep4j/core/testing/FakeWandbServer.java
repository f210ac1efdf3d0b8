package org.sep4j.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.sep4j.core.io.Json;

/**
 * A loopback stand-in for the W&B API that records every request: GraphQL (upsertBucket answers
 * with entity "tester"; RunUploadUrls answers with an upload URL on this server), file_stream
 * posts and PUT uploads. {@link #failNext} makes the next n requests answer HTTP 500.
 */
public final class FakeWandbServer implements AutoCloseable {

    /** One received request. */
    public record Request(String method, String path, String auth, String body) {

        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failures = new AtomicInteger();

    public FakeWandbServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void failNext(int n) {
        failures.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"), body));
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            reply(ex, 500, "{\"error\":\"simulated outage\"}");
            return;
        }
        String answer = "{}";
        if (path.equals("/graphql")) {
            answer = body.contains("upsertBucket")
                    ? "{\"data\":{\"upsertBucket\":{\"bucket\":{\"id\":\"b1\",\"name\":\"run\",\"project\":{\"name\":\"p\","
                            + "\"entity\":{\"name\":\"tester\"}}},\"inserted\":true}}}"
                    : "{\"data\":{\"model\":{\"bucket\":{\"id\":\"b1\",\"files\":{\"uploadHeaders\":[],\"edges\":[{\"node\":"
                            + "{\"name\":\"f\",\"url\":\"" + url() + "/upload/f\"}}]}}}}}";
        }
        reply(ex, 200, answer);
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
