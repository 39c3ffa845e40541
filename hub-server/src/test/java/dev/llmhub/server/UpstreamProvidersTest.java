package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.record.CallRecordJson;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenAI, Azure and OpenAI-compatible upstreams, as a real stub HTTP server sees them. */
class UpstreamProvidersTest {
    static StubUpstream stub;
    static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        stub = new StubUpstream();
        String s = stub.base();
        stub.reply("/v1/", 200, StubUpstream.chatJson("gpt-4o-mini-2024-07-18", "hello from openai", 12, 3));
        stub.reply("/openai/deployments/", 200, StubUpstream.chatJson("gpt-4o", "hello from azure", 5, 2));
        stub.reply("/bad/", 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        stub.reply("/good/", 200, StubUpstream.chatJson("good", "fallback worked", 4, 2));
        stub.reply("/slow/", new StubUpstream.Reply(200, "application/json", "{}", Map.of(), new CountDownLatch(1)));
        stub.reply("/denied/", 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-live-abc***nop. Find your key at https://platform.openai.com\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        stub.reply("/nousage/", 200, """
                {"id":"x","object":"chat.completion","created":1,"model":"local","service_tier":"default","system_fingerprint":"fp_1",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Good morning! How can I assist you today?"},"finish_reason":"stop"}]}""");
        stub.reply("/stream/", new StubUpstream.Reply(200, "text/event-stream", sse(), Map.of(), null));
        stub.reply("/broken/", new StubUpstream.Reply(200, "text/event-stream",
                "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"b\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"},\"finish_reason\":null}]}\n\n",
                Map.of(), null));
        proxy = new TestProxy("""
                model_list:
                  - model_name: oa
                    litellm_params: {model: openai/gpt-4o-mini, api_base: %1$s/v1, api_key: os.environ/TEST_OPENAI_KEY}
                  - model_name: az
                    litellm_params:
                      model: azure/my-deploy
                      api_base: %1$s/
                      api_key: az-secret-key-1234567890
                      api_version: "2024-06-01"
                  - model_name: fallback
                    litellm_params: {model: openai/bad, api_base: %1$s/bad/v1, api_key: k1, rpm: 100000000}
                  - model_name: fallback
                    litellm_params: {model: openai/good, api_base: %1$s/good/v1, api_key: k2, rpm: 1}
                  - model_name: slow
                    litellm_params: {model: openai/slow, api_base: %1$s/slow/v1, timeout: 0.3}
                  - model_name: denied
                    litellm_params: {model: openai/x, api_base: %1$s/denied/v1, api_key: sk-live-abcdefghijklmnop}
                  - model_name: nousage
                    litellm_params: {model: openai/gpt-3.5-turbo, api_base: %1$s/nousage/v1}
                  - model_name: streamer
                    litellm_params: {model: openai/s, api_base: %1$s/stream/v1}
                  - model_name: broken
                    litellm_params: {model: openai/b, api_base: %1$s/broken/v1}
                router_settings:
                  num_retries: 1
                environment_variables:
                  TEST_OPENAI_KEY: default-should-lose
                """.formatted(s), Map.of("TEST_OPENAI_KEY", "sk-from-env-abcdef"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        stub.close();
    }

    private static String sse() {
        return """
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"s","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"s","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"s","service_tier":"flex","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"s","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}

                data: [DONE]

                """;
    }

    private static String chat(String model, String user) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"" + user
                + "\",\"temperature\":0.5,\"metadata\":{\"tags\":[\"t\"]},\"mock_response\":null}";
    }

    private static CallRecord record(String user) throws InterruptedException {
        List<CallRecord> r = proxy.sink.awaitRecords(x -> x.user().orElse("").equals(user));
        assertEquals(1, r.size(), "one record per call");
        return r.get(0);
    }

    @Test
    void openAiPathSendsBearerKeyAndCleanBody() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions", chat("oa", "u-openai"));
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("hello from openai", Json.MAPPER.readTree(res.body()).path("choices").path(0).path("message").path("content").asText());
        StubUpstream.Received got = stub.receivedUnder("/v1/").get(0);
        assertEquals("POST", got.method());
        assertEquals("/v1/chat/completions", got.uri());
        assertEquals("Bearer sk-from-env-abcdef", got.header("authorization"));
        JsonNode body = Json.MAPPER.readTree(got.body());
        assertEquals("gpt-4o-mini", body.path("model").asText());
        assertEquals(0.5, body.path("temperature").asDouble());
        assertFalse(body.has("metadata"));
        assertFalse(body.has("mock_response"));
        // price table: gpt-4o-mini at 0.15 / 0.6 USD per million tokens
        double cost = Double.parseDouble(res.headers().firstValue("x-llmhub-response-cost").orElseThrow());
        assertEquals(12 * 0.15e-6 + 3 * 0.6e-6, cost, 1e-12);

        CallRecord r = record("u-openai");
        assertEquals("openai", r.provider().orElseThrow());
        assertEquals(stub.base() + "/v1", r.apiBase().orElseThrow());
        assertEquals(Usage.Source.PROVIDER, r.usage().source());
        assertEquals(Cost.Source.PRICE_TABLE, r.cost().orElseThrow().source());
        assertEquals("gpt-4o-mini-2024-07-18", r.responseModel().orElseThrow());
        assertEquals("gpt-4o-mini", r.upstreamModel().orElseThrow(), "the model sent, not the alias oa");
        assertEquals("/v1/chat/completions", r.requestPath().orElseThrow());
        assertEquals(stub.base() + "/v1/chat/completions", r.attempts().get(0).url().orElseThrow());
        assertFalse(CallRecordJson.write(r).contains("sk-from-env"));
    }

    @Test
    void aRequestLevelMockResponseNeverLeavesTheProxyAndItsTryHasNoUrl() throws Exception {
        int before = stub.receivedUnder("/v1/").size();
        HttpResponse<String> res = proxy.post("/v1/chat/completions",
                "{\"model\":\"oa\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"u-mocked\","
                        + "\"mock_response\":\"canned\"}");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.body().contains("canned"), res.body());
        assertEquals(before, stub.receivedUnder("/v1/").size());
        assertTrue(record("u-mocked").attempts().get(0).url().isEmpty());
    }

    @Test
    void azurePathUsesDeploymentUrlApiVersionAndApiKeyHeader() throws Exception {
        HttpResponse<String> res = proxy.post("/chat/completions", chat("az", "u-azure"));
        assertEquals(200, res.statusCode(), res.body());
        StubUpstream.Received got = stub.receivedUnder("/openai/").get(0);
        assertEquals("/openai/deployments/my-deploy/chat/completions?api-version=2024-06-01", got.uri());
        assertEquals("az-secret-key-1234567890", got.header("api-key"));
        assertNull(got.header("authorization"));
        CallRecord r = record("u-azure");
        assertEquals("azure", r.provider().orElseThrow());
        assertEquals("my-deploy", r.upstreamModel().orElseThrow());
        assertEquals("/chat/completions", r.requestPath().orElseThrow());
        assertEquals(stub.base() + "/openai/deployments/my-deploy/chat/completions", r.attempts().get(0).url().orElseThrow(),
                "the URL without its query string");
    }

    @Test
    void retryFallsBackToAnotherDeploymentFirst() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions", chat("fallback", "u-fallback"));
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.body().contains("fallback worked"));
        CallRecord r = record("u-fallback");
        assertEquals(2, r.attempts().size());
        assertEquals(CallStatus.FAILURE, r.attempts().get(0).status());
        assertEquals(503, r.attempts().get(0).error().orElseThrow().httpStatus().orElseThrow());
        assertEquals(CallStatus.SUCCESS, r.attempts().get(1).status());
        assertEquals("fallback-3", r.deployment().orElseThrow());
        assertEquals(stub.base() + "/bad/v1/chat/completions", r.attempts().get(0).url().orElseThrow());
        assertEquals(stub.base() + "/good/v1/chat/completions", r.attempts().get(1).url().orElseThrow());
        assertEquals("good", r.upstreamModel().orElseThrow(), "the model of the deployment that answered");
    }

    @Test
    void timeoutIsRetriedThenAnswered408() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions", chat("slow", "u-slow"));
        assertEquals(408, res.statusCode(), res.body());
        assertEquals("timeout", Json.MAPPER.readTree(res.body()).path("error").path("type").asText());
        CallRecord r = record("u-slow");
        assertEquals(CallStatus.FAILURE, r.status());
        assertEquals(2, r.attempts().size(), "num_retries: 1 means two tries");
    }

    @Test
    void upstreamAuthErrorIsNotRetriedAndLeaksNoKey() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions", chat("denied", "u-denied"));
        assertEquals(401, res.statusCode(), res.body());
        assertFalse(res.body().contains("sk-live"), res.body());
        assertEquals(1, stub.receivedUnder("/denied/").size());
        CallRecord r = record("u-denied");
        assertEquals(1, r.attempts().size());
        assertFalse(CallRecordJson.write(r).contains("sk-live"));
    }

    @Test
    void missingUsageIsEstimatedWithTheTokenizer() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions",
                "{\"model\":\"nousage\",\"messages\":[{\"role\":\"user\",\"content\":\"good morning good sir\"}],\"user\":\"u-est\"}");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode usage = Json.MAPPER.readTree(res.body()).path("usage");
        assertEquals(11, usage.path("prompt_tokens").asInt());
        assertEquals(10, usage.path("completion_tokens").asInt());
        CallRecord r = record("u-est");
        assertEquals(Usage.Source.ESTIMATED, r.usage().source());
        assertEquals("default", r.response().orElseThrow().serviceTier().orElseThrow());
        assertEquals("fp_1", r.response().orElseThrow().systemFingerprint().orElseThrow());
    }

    @Test
    void upstreamStreamIsRelayedWithUsageFromTheProvider() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions",
                "{\"model\":\"streamer\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"u-stream\"}");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.body().contains("\"Hel\""));
        assertTrue(res.body().strip().endsWith("[DONE]"));
        assertFalse(res.body().contains("prompt_tokens"), "usage chunk only when the client asks");
        JsonNode sent = Json.MAPPER.readTree(stub.receivedUnder("/stream/").get(0).body());
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
        CallRecord r = record("u-stream");
        assertEquals(new Usage(7, 2, 9, 0, 0, Usage.Source.PROVIDER), r.usage());
        assertEquals("Hello", ((Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertEquals(2, r.outputChunks(), "Hel and lo; the role chunk and the usage chunk carry no content");
        assertEquals("flex", r.response().orElseThrow().serviceTier().orElseThrow());
        assertFalse(r.lastTokenTime().orElseThrow().isBefore(r.firstTokenTime().orElseThrow()));
    }

    @Test
    void anUpstreamStreamThatBreaksOffEndsWithAnErrorEventAndOneFailureRecord() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions",
                "{\"model\":\"broken\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"u-broken\"}");
        assertEquals(200, res.statusCode(), "the stream had started");
        assertTrue(res.body().contains("\"Hal\""));
        assertTrue(res.body().contains("\"error\""), res.body());
        assertTrue(res.body().strip().endsWith("[DONE]"));
        CallRecord r = record("u-broken");
        assertEquals(CallStatus.FAILURE, r.status());
        assertEquals(502, r.error().orElseThrow().httpStatus().orElseThrow());
        assertTrue(proxy.sink.chunks.stream().anyMatch(c -> c.callId().equals(r.id()) && c.delta().equals("Hal")));
    }
}
