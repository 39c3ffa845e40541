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
 * scripted status and body (or SSE), and keeps what it received. Public for the end-to-end tests,
 * which use it (and the recorded Anthropic answers under {@code /anthropic/}) from this test-jar.
 */
public final class StubUpstream implements AutoCloseable {
    /** One request as received. */
    public record Received(String method, String uri, Map<String, List<String>> headers, String body) {
        /** @return the first value of a header, any case, or null */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A scripted answer; {@code hold} makes the handler wait until the stub closes. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers, CountDownLatch hold) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    /** Replies used once each, in order, before the prefix's standing reply. */
    private final Map<String, java.util.Queue<Reply>> once = new ConcurrentHashMap<>();
    /** Released at close so a held handler (a slow upstream) ends. */
    final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;

    public StubUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests whose path starts with {@code prefix}. */
    public void reply(String prefix, int status, String body) {
        replies.put(prefix, new Reply(status, "application/json", body, Map.of(), null));
    }

    public void reply(String prefix, Reply reply) {
        replies.put(prefix, reply);
    }

    /** Answers the next requests under {@code prefix} with these, one each, then with the standing reply. */
    public void replyOnce(String prefix, Reply... first) {
        once.computeIfAbsent(prefix, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).addAll(List.of(first));
    }

    /** An SSE answer. */
    public static Reply sse(String body) {
        return new Reply(200, "text/event-stream", body, Map.of(), null);
    }

    public List<Received> receivedUnder(String prefix) {
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

    public static String chatJson(String model, String content, int prompt, int completion) {
        return """
                {"id":"chatcmpl-up","object":"chat.completion","created":1700000000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
                """.formatted(model, content, prompt, completion, prompt + completion);
    }

    /** @return a recorded Anthropic answer from this test-jar's {@code /anthropic/} folder */
    public static String anthropic(String name) {
        try (java.io.InputStream in = StubUpstream.class.getResourceAsStream("/anthropic/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded answer /anthropic/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
