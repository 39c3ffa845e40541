package dev.llmhub.plugin.otel.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * An OpenAI-compatible provider on loopback, answering as OpenAI does (ids, {@code system_fingerprint},
 * {@code service_tier}, usage with cached and reasoning tokens, tool calls, {@code n} choices, SSE
 * streams with a usage chunk, embeddings without an id, legacy completions), plus the failures a mix
 * needs: {@code /flaky/…} answers 503, {@code /busy/…} 429, {@code /broken/…} breaks its stream off.
 * Azure's deployment paths ({@code /azure/openai/deployments/…}) answer like chat.
 */
final class StubProvider implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FINGERPRINT = "fp_stub_7a1c";
    static final String SERVICE_TIER = "default";

    private final HttpServer server;

    StubProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            if (path.startsWith("/flaky/")) {
                send(ex, 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}");
            } else if (path.startsWith("/busy/")) {
                send(ex, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
            } else if (path.startsWith("/broken/")) {
                stream(ex, body, true);
            } else if (path.endsWith("/embeddings")) {
                send(ex, 200, embeddings(body).toString());
            } else if (path.endsWith("/chat/completions") && body.path("stream").asBoolean(false)) {
                stream(ex, body, false);
            } else if (path.endsWith("/chat/completions")) {
                send(ex, 200, chat(body).toString());
            } else if (path.endsWith("/completions")) {
                send(ex, 200, completion(body).toString());
            } else {
                send(ex, 404, "{\"error\":{\"message\":\"no route\",\"type\":\"invalid_request_error\"}}");
            }
        }
    }

    private static ObjectNode chat(JsonNode req) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "chatcmpl-" + UUID.randomUUID());
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", req.path("model").asText() + "-2024-08-06");
        out.put("system_fingerprint", FINGERPRINT);
        out.put("service_tier", SERVICE_TIER);
        ArrayNode choices = out.putArray("choices");
        int n = req.path("n").asInt(1);
        boolean tools = req.path("tools").isArray();
        for (int i = 0; i < n; i++) {
            ObjectNode c = choices.addObject();
            c.put("index", i);
            ObjectNode m = c.putObject("message");
            m.put("role", "assistant");
            if (tools) {
                m.putNull("content");
                ObjectNode call = m.putArray("tool_calls").addObject();
                call.put("id", "call_" + i);
                call.put("type", "function");
                call.putObject("function").put("name", req.path("tools").path(0).path("function").path("name").asText())
                        .put("arguments", "{\"city\":\"Paris\"}");
                c.put("finish_reason", "tool_calls");
            } else {
                m.put("content", "Bonjour " + i);
                c.put("finish_reason", "stop");
            }
        }
        out.set("usage", usage(31, 9, 8, 4));
        return out;
    }

    private static ObjectNode completion(JsonNode req) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "cmpl-" + UUID.randomUUID());
        out.put("object", "text_completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", req.path("model").asText());
        ObjectNode c = out.putArray("choices").addObject();
        c.put("text", " and so on");
        c.put("index", 0);
        c.put("finish_reason", "length");
        out.set("usage", usage(6, 4, 0, 0));
        return out;
    }

    /** OpenAI's embeddings answer has no id. */
    private static ObjectNode embeddings(JsonNode req) {
        int inputs = req.path("input").isArray() ? req.get("input").size() : 1;
        int dims = req.path("dimensions").asInt(8);
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < inputs; i++) {
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            d.put("index", i);
            ArrayNode v = d.putArray("embedding");
            for (int j = 0; j < dims; j++) {
                v.add(0.01 * j);
            }
        }
        out.put("model", req.path("model").asText());
        out.putObject("usage").put("prompt_tokens", 5 * inputs).put("total_tokens", 5 * inputs);
        return out;
    }

    private static ObjectNode usage(int prompt, int completion, int cached, int reasoning) {
        ObjectNode u = JSON.createObjectNode();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", cached);
        u.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
        return u;
    }

    /** An SSE stream of word chunks, a few milliseconds apart like a model's tokens; broken off midway when asked. */
    private static void stream(HttpExchange ex, JsonNode req, boolean breakOff) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-" + UUID.randomUUID();
        String model = req.path("model").asText() + "-2024-08-06";
        event(out, chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        String[] words = {"Bon", "jour", " tout", " le", " monde"};
        for (int i = 0; i < words.length; i++) {
            if (breakOff && i == 2) {
                return; // the connection ends without a finish reason or [DONE]
            }
            LockSupport.parkNanos(3_000_000);
            event(out, chunk(id, model, "{\"content\":\"" + words[i] + "\"}", null));
        }
        event(out, chunk(id, model, "{}", "stop"));
        if (req.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = JSON.createObjectNode();
            u.put("id", id).put("object", "chat.completion.chunk").put("created", 1).put("model", model)
                    .put("system_fingerprint", FINGERPRINT).put("service_tier", SERVICE_TIER);
            u.putArray("choices");
            u.set("usage", usage(12, 5, 0, 0));
            event(out, u.toString());
        }
        event(out, "[DONE]");
    }

    private static String chunk(String id, String model, String delta, String finish) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"system_fingerprint\":\"" + FINGERPRINT + "\",\"service_tier\":\"" + SERVICE_TIER
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
