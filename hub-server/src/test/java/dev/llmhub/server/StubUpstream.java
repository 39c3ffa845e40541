package dev.llmhub.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback standing in for an LLM provider: answers per path prefix with a
 * scripted status and body (or SSE), and keeps what it received.
 */
final class StubUpstream implements AutoCloseable {
    record Received(String method, String uri, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    record Reply(int status, String contentType, String body, Map<String, String> headers, CountDownLatch hold) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    /** Replies used once each, in order, before the prefix's standing reply. */
    private final Map<String, java.util.Queue<Reply>> once = new ConcurrentHashMap<>();
    /** Released at close so a held handler (a slow upstream) ends. */
    final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;

    StubUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests whose path starts with {@code prefix}. */
    void reply(String prefix, int status, String body) {
        replies.put(prefix, new Reply(status, "application/json", body, Map.of(), null));
    }

    void reply(String prefix, Reply reply) {
        replies.put(prefix, reply);
    }

    /** Answers the next requests under {@code prefix} with these, one each, then with the standing reply. */
    void replyOnce(String prefix, Reply... first) {
        once.computeIfAbsent(prefix, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).addAll(List.of(first));
    }

    /** An SSE answer. */
    static Reply sse(String body) {
        return new Reply(200, "text/event-stream", body, Map.of(), null);
    }

    List<Received> receivedUnder(String prefix) {
        return received.stream().filter(r -> r.uri().startsWith(prefix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String uri = ex.getRequestURI().toString();
        received.add(new Received(ex.getRequestMethod(), uri, Map.copyOf(ex.getRequestHeaders()), body));
        Reply reply = once.entrySet().stream().filter(e -> uri.startsWith(e.getKey()))
                .map(e -> e.getValue().poll()).filter(java.util.Objects::nonNull).findFirst()
                .or(() -> replies.entrySet().stream().filter(e -> uri.startsWith(e.getKey()))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(Map.Entry::getValue))
                .orElse(new Reply(404, "application/json", "{\"error\":{\"message\":\"no stub for " + uri + "\"}}", Map.of(), null));
        if (reply.hold() != null) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", reply.contentType());
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        try {
            ex.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // the proxy gave up (timeout): nothing to do
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }

    static String chatJson(String model, String content, int prompt, int completion) {
        return """
                {"id":"chatcmpl-up","object":"chat.completion","created":1700000000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
                """.formatted(model, content, prompt, completion, prompt + completion);
    }
}
