package dev.llmhub.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code llmhub --test}: one chat request to a running proxy, the reply printed (LiteLLM's {@code --test}). */
final class TestCommand {
    private TestCommand() {
    }

    static int run(CliOptions options, PrintStream out, PrintStream err) {
        String base = options.url().replaceAll("/+$", "");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            String model = options.model().orElse(null);
            if (model == null) {
                HttpResponse<String> models = client.send(request(base + "/v1/models", options).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (models.statusCode() != 200) {
                    err.println("llmhub --test: " + base + "/v1/models answered " + models.statusCode() + ": " + errorText(models.body()));
                    return 1;
                }
                JsonNode data = Json.MAPPER.readTree(models.body()).path("data");
                if (data.isEmpty()) {
                    err.println("llmhub --test: the proxy at " + base + " lists no models");
                    return 1;
                }
                model = data.get(0).path("id").asText();
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("model", model);
            body.putArray("messages").addObject().put("role", "user")
                    .put("content", "this is a test request, write a short poem");
            out.println("llmhub --test: POST " + base + "/chat/completions (model " + model + ")");
            HttpResponse<String> res = client.send(request(base + "/chat/completions", options)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                err.println("llmhub --test: the proxy answered " + res.statusCode() + ": " + errorText(res.body()));
                return 1;
            }
            JsonNode reply = Json.MAPPER.readTree(res.body());
            out.println(reply.path("choices").path(0).path("message").path("content").asText(""));
            JsonNode usage = reply.path("usage");
            res.headers().firstValue(CallResponder.COST_HEADER).ifPresentOrElse(
                    cost -> out.println("usage: " + usage + ", cost: " + cost + " USD"),
                    () -> out.println("usage: " + usage));
            return 0;
        } catch (IOException e) {
            err.println("llmhub --test: cannot reach " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is the proxy running? start it with: llmhub --config FILE)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("llmhub --test: bad --url '" + options.url() + "': " + e.getMessage());
            return 2;
        }
    }

    private static HttpRequest.Builder request(String url, CliOptions options) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2));
        options.key().ifPresent(k -> b.header("Authorization", "Bearer " + k));
        return b;
    }

    private static String errorText(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n.path("error").path("message").isTextual()) {
                return n.path("error").path("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: show it raw below
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
