package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallStatus;
import dev.llmhub.core.provider.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every error answer has OpenAI's shape and a fitting status; auth guards what it should. */
class ErrorsAndAuthTest {
    static final String KEY = "sk-test-master";
    @RegisterExtension
    static final TestProxy proxy = new TestProxy("""
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m, mock_response: "ok"}
                  - model_name: limited
                    litellm_params: {model: mock/limited, mock_response: "ok", rpm: 2}
                  - model_name: tokens
                    litellm_params: {model: mock/gpt-3.5-turbo, mock_response: "ok", tpm: 5}
                general_settings:
                  master_key: %s
                  max_request_size_mb: 0.01
                """.formatted(KEY));

    private static final String OK_BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static JsonNode error(HttpResponse<String> res, int status) throws Exception {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode e = Json.MAPPER.readTree(res.body()).path("error");
        assertTrue(e.path("message").isTextual(), res.body());
        assertTrue(e.path("type").isTextual(), res.body());
        assertTrue(e.has("param") && e.has("code"), res.body());
        assertFalse(res.body().contains("Exception") || res.body().contains("\tat "), res.body());
        return e;
    }

    @Test
    void authNeedsTheMasterKeyInAnyOfTheThreeHeaders() throws Exception {
        assertEquals("authentication_error", error(proxy.post("/v1/chat/completions", OK_BODY), 401).path("type").asText());
        JsonNode wrong = error(proxy.post("/v1/chat/completions", OK_BODY, "Authorization", "Bearer sk-wrong"), 401);
        assertFalse(wrong.toString().contains("sk-wrong"));
        assertEquals(200, proxy.post("/v1/chat/completions", OK_BODY, "Authorization", "Bearer " + KEY).statusCode());
        assertEquals(200, proxy.post("/v1/chat/completions", OK_BODY, "api-key", KEY).statusCode());
        assertEquals(200, proxy.post("/v1/chat/completions", OK_BODY, "x-api-key", KEY).statusCode());
        error(proxy.get("/v1/models"), 401);
        assertEquals(200, proxy.get("/v1/models", "Authorization", "Bearer " + KEY).statusCode());
    }

    @Test
    void healthAndMetricsAreOpenAdminIsNot() throws Exception {
        assertEquals(200, proxy.get("/health/liveliness").statusCode());
        assertEquals(200, proxy.get("/health/readiness").statusCode());
        proxy.post("/v1/chat/completions", OK_BODY, "Authorization", "Bearer " + KEY);
        HttpResponse<String> metrics = proxy.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("llmhub_requests_total{model=\"m\",status=\"200\"}"), metrics.body());
        assertTrue(metrics.body().contains("llmhub_request_latency_seconds_bucket"), metrics.body());
        error(proxy.get("/admin/lanes"), 401);
    }

    @Test
    void malformedAndInvalidBodiesGet400NamingTheField() throws Exception {
        String auth = "Bearer " + KEY;
        error(proxy.post("/v1/chat/completions", "{\"model\": \"m\", \"messages\": [", "Authorization", auth), 400);
        error(proxy.post("/v1/chat/completions", "", "Authorization", auth), 400);
        error(proxy.post("/v1/chat/completions", "[1,2]", "Authorization", auth), 400);
        assertEquals("messages", error(proxy.post("/v1/chat/completions", "{\"model\":\"m\"}", "Authorization", auth), 400)
                .path("param").asText());
        assertEquals("messages", error(proxy.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":\"hi\"}",
                "Authorization", auth), 400).path("param").asText());
        assertEquals("temperature", error(proxy.post("/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}",
                "Authorization", auth), 400).path("param").asText());
        assertEquals("stream", error(proxy.post("/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}",
                "Authorization", auth), 400).path("param").asText());
        assertEquals("model", error(proxy.post("/v1/chat/completions", "{\"model\":42,\"messages\":[]}",
                "Authorization", auth), 400).path("param").asText());
        JsonNode unknown = error(proxy.post("/v1/chat/completions",
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"user\":\"unknown-model\"}",
                "Authorization", auth), 400);
        assertTrue(unknown.path("message").asText().contains("m, limited"), unknown.toString());
        assertEquals(CallStatus.FAILURE, proxy.sink.awaitRecords(r -> r.user().orElse("").equals("unknown-model")).get(0).status());
        error(proxy.post("/v1/embeddings", "{\"model\":\"m\"}", "Authorization", auth), 400);
        error(proxy.post("/v1/completions", "{\"model\":\"m\",\"prompt\":5}", "Authorization", auth), 400);
    }

    @Test
    void oversizedBodiesGet413() throws Exception {
        String big = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(20_000) + "\"}]}";
        assertEquals("request_too_large", error(proxy.post("/v1/chat/completions", big, "Authorization", "Bearer " + KEY), 413)
                .path("code").asText());
        // without Content-Length (chunked) the limit still holds
        HttpResponse<String> chunked = proxy.http.send(HttpRequest.newBuilder(URI.create(proxy.base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        error(chunked, 413);
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() throws Exception {
        HttpResponse<String> res = proxy.get("/v1/chat/completions", "Authorization", "Bearer " + KEY);
        error(res, 405);
        assertEquals("POST", res.headers().firstValue("allow").orElseThrow());
        error(proxy.send("DELETE", "/v1/models", null, "Authorization", "Bearer " + KEY), 405);
        error(proxy.get("/v1/nothing-here", "Authorization", "Bearer " + KEY), 404);
    }

    @Test
    void rpmLimitAnswers429WithRetryAfter() throws Exception {
        String body = "{\"model\":\"limited\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"user\":\"rpm-user\"}";
        String auth = "Bearer " + KEY;
        assertEquals(200, proxy.post("/v1/chat/completions", body, "Authorization", auth).statusCode());
        assertEquals(200, proxy.post("/v1/chat/completions", body, "Authorization", auth).statusCode());
        HttpResponse<String> limited = proxy.post("/v1/chat/completions", body, "Authorization", auth);
        assertEquals("rate_limit_error", error(limited, 429).path("type").asText());
        long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
        var records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals("rpm-user") && r.status() == CallStatus.FAILURE);
        assertEquals(1, records.size());
        assertEquals(3, proxy.sink.byUser("rpm-user").size());
    }

    @Test
    void tpmLimitCountsTokensOfFinishedCalls() throws Exception {
        String body = "{\"model\":\"tokens\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        String auth = "Bearer " + KEY;
        assertEquals(200, proxy.post("/v1/chat/completions", body, "Authorization", auth).statusCode());
        // the first call used more than 5 tokens: the window is full for the rest of the minute
        error(proxy.post("/v1/chat/completions", body, "Authorization", auth), 429);
    }

    @Test
    void requestsHelidonRejectsBeforeRoutingStillGetOpenAiJson() throws Exception {
        // a body that claims gzip but is not: refused while decoding, before any route runs
        HttpResponse<String> res = proxy.post("/v1/chat/completions", "not gzip at all",
                "Authorization", "Bearer " + KEY, "Content-Encoding", "gzip", "Content-Type", "application/json");
        assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, res.statusCode() + " " + res.body());
        error(res, res.statusCode());
    }
}
