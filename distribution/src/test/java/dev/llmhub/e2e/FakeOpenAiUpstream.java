package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A small OpenAI-compatible upstream on loopback: {@code POST /v1/chat/completions} answers a chat
 * completion (or its SSE stream when {@code stream} is true); for model {@code reject-me} it answers
 * 401 the way OpenAI does, echoing the key it was given in the error text. Every request it
 * received (headers and body) is kept, so a test can see what the proxy forwarded.
 */
final class FakeOpenAiUpstream implements AutoCloseable {
    /** The model name for which the upstream refuses the key. */
    static final String REJECTING_MODEL = "reject-me";

    /** One request as received: lower-case header names, the raw body. */
    record Received(Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    FakeOpenAiUpstream() {
        this(null);
    }

    /** @param tls when not null, it answers over HTTPS with this context's certificate */
    FakeOpenAiUpstream(SSLContext tls) {
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(loopback, 0);
            } else {
                HttpsServer https = HttpsServer.create(loopback, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    /** @return the {@code api_base} to configure, e.g. {@code http://127.0.0.1:4567/v1} */
    String apiBase() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** @return every request received so far */
    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void chat(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            synchronized (received) {
                received.add(new Received(headers, body));
            }
            JsonNode req = JSON.readTree(body);
            String model = req.path("model").asText();
            if (REJECTING_MODEL.equals(model)) {
                String key = ex.getRequestHeaders().getFirst("Authorization");
                String presented = key == null ? "" : key.replaceFirst("^Bearer ", "");
                send(ex, 401, "application/json", """
                        {"error":{"message":"Incorrect API key provided: %s. You can find your API key at \
                        https://platform.openai.com/account/api-keys.","type":"invalid_request_error",\
                        "param":null,"code":"invalid_api_key"}}""".formatted(presented));
                return;
            }
            if (req.path("stream").asBoolean(false)) {
                StringBuilder sse = new StringBuilder();
                String base = "{\"id\":\"chatcmpl-fake-stream\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                        + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,";
                sse.append("data: ").append(base).append("\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
                for (String piece : new String[] {"Hello", " from", " upstream"}) {
                    sse.append("data: ").append(base).append("\"delta\":{\"content\":\"").append(piece)
                            .append("\"},\"finish_reason\":null}]}\n\n");
                }
                sse.append("data: ").append(base).append("\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
                sse.append("data: [DONE]\n\n");
                send(ex, 200, "text/event-stream", sse.toString());
                return;
            }
            send(ex, 200, "application/json", """
                    {"id":"chatcmpl-fake-%d","object":"chat.completion","created":1700000000,"model":"%s",\
                    "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from upstream"},\
                    "finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"""
                    .formatted(System.nanoTime(), model));
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
