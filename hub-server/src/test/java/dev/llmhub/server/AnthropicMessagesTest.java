package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.core.provider.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's Messages API served by the proxy, with the official Anthropic Java SDK as the client:
 * the mock model and an OpenAI-compatible stub upstream (translated both ways) behind it.
 */
class AnthropicMessagesTest {
    static final String MOCK_TEXT = "Good morning! How can I assist you today?";
    static StubUpstream stub;
    static TestProxy proxy;
    static AnthropicClient client;

    @BeforeAll
    static void start() throws Exception {
        stub = new StubUpstream();
        proxy = new TestProxy("""
                model_list:
                  - model_name: claude-mock
                    litellm_params: {model: mock/claude, mock_response: "%s", input_cost_per_token: 1.0e-06, output_cost_per_token: 2.0e-06}
                  - model_name: gpt-tools
                    litellm_params: {model: openai/gpt-4o-mini, api_base: %s/v1, api_key: upstream-key}
                general_settings:
                  master_key: sk-1234
                """.formatted(MOCK_TEXT, stub.base()));
        client = AnthropicOkHttpClient.builder().baseUrl(proxy.base).apiKey("sk-1234").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        proxy.close();
        stub.close();
    }

    private static MessageCreateParams.Builder params(String model, String user) {
        return MessageCreateParams.builder().model(model).maxTokens(256).system("You are terse.")
                .metadata(Metadata.builder().userId(user).build())
                .addUserMessage("good morning good sir");
    }

    private static CallRecord onlyRecord(String user) throws InterruptedException {
        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals(user));
        assertEquals(1, records.size(), "records for " + user);
        return records.get(0);
    }

    @Test
    void sdkPlainMessageFromTheMock() throws Exception {
        Message m = client.messages().create(params("claude-mock", "anth-plain").build());
        assertEquals(MOCK_TEXT, m.content().get(0).text().orElseThrow().text());
        assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
        assertTrue(m.id().startsWith("msg_"), m.id());
        assertTrue(m.usage().inputTokens() > 0 && m.usage().outputTokens() == 10, m.usage().toString());

        CallRecord r = onlyRecord("anth-plain");
        assertEquals(CallType.MESSAGES, r.callType());
        assertEquals(CallStatus.SUCCESS, r.status());
        // the record's messages are in the chat shape: the system prompt first
        assertEquals(List.of(Map.of("role", "system", "content", "You are terse."),
                Map.of("role", "user", "content", "good morning good sir")), r.messages());
        assertEquals(MOCK_TEXT, ((Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertEquals(List.of("stop"), r.response().orElseThrow().finishReasons());
        assertEquals(m.usage().inputTokens(), r.usage().promptTokens());
        assertEquals(10, r.usage().completionTokens());
        assertTrue(r.cost().orElseThrow().total() > 0);
        // the SDK sends its key as a Bearer token and its own anthropic-version; both accepted
        assertEquals("[REDACTED]", r.headers().get("authorization"), r.headers().toString());
        assertTrue(r.headers().containsKey("anthropic-version"), r.headers().toString());
        assertTrue(r.apiKey().orElseThrow().hash().length() == 64);
        assertEquals(Map.of("max_tokens", 256), r.requestParams());
    }

    @Test
    void sdkStreamFromTheMockAccumulatesToTheSameMessage() throws Exception {
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params("claude-mock", "anth-stream").build())) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        assertEquals(MOCK_TEXT, m.content().get(0).text().orElseThrow().text());
        assertEquals(10, m.usage().outputTokens());
        assertTrue(m.usage().inputTokens() > 0);

        CallRecord r = onlyRecord("anth-stream");
        assertTrue(r.stream());
        assertTrue(r.firstTokenTime().isPresent());
        assertEquals(MOCK_TEXT, ((Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertEquals(m.usage().inputTokens(), r.usage().promptTokens());
        // stream events fired for the callbacks: the deltas concatenate to the text
        StringBuilder deltas = new StringBuilder();
        proxy.sink.chunks.stream().filter(c -> c.callId().equals(r.id())).forEach(c -> deltas.append(c.delta()));
        assertEquals(MOCK_TEXT, deltas.toString());
    }

    @Test
    void rawStreamHasAnthropicsEventSequence() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/messages", """
                {"model": "claude-mock", "max_tokens": 50, "stream": true, "metadata": {"user_id": "anth-raw"},
                 "messages": [{"role": "user", "content": "hi"}]}""",
                "x-api-key", "sk-1234", "anthropic-version", "2023-06-01", "content-type", "application/json");
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("[REDACTED]", onlyRecord("anth-raw").headers().get("x-api-key"));
        assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        for (String line : res.body().split("\n")) {
            if (line.startsWith("event: ")) {
                events.add(line.substring(7));
            }
        }
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        expected.addAll(java.util.Collections.nCopies(MOCK_TEXT.split(" ").length, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, events, res.body());
        assertFalse(res.body().contains("[DONE]"), res.body());
    }

    @Test
    void toolUseAndToolResultsThroughAnOpenAiCompatibleUpstream() throws Exception {
        stub.replyOnce("/v1/chat/completions", new StubUpstream.Reply(200, "application/json", """
                {"id":"chatcmpl-tool","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc",
                 "type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                 "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":80,"completion_tokens":17,"total_tokens":97,"prompt_tokens_details":{"cached_tokens":64}}}""",
                Map.of(), null));
        Tool weather = Tool.builder().name("get_weather").description("Current weather of a city")
                .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string"))).build()).build())
                .build();
        MessageCreateParams first = params("gpt-tools", "anth-tool").addTool(weather).build();
        Message m = client.messages().create(first);
        assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
        ToolUseBlock use = m.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertEquals("call_abc", use.id());
        assertEquals("get_weather", use.name());
        assertEquals(JsonValue.from(Map.of("location", "Paris")), use._input());
        // usage in Anthropic's terms: input excludes the cached tokens
        assertEquals(16, m.usage().inputTokens());
        assertEquals(64, m.usage().cacheReadInputTokens().orElseThrow());

        JsonNode sent = Json.MAPPER.readTree(stub.receivedUnder("/v1/chat/completions").getLast().body());
        assertEquals("gpt-4o-mini", sent.path("model").asText());
        assertEquals("system", sent.path("messages").get(0).path("role").asText());
        assertEquals("get_weather", sent.path("tools").get(0).path("function").path("name").asText());
        assertEquals("anth-tool", sent.path("user").asText());
        assertEquals(256, sent.path("max_tokens").asInt());
        assertFalse(sent.has("metadata"), sent.toString());

        stub.replyOnce("/v1/chat/completions", new StubUpstream.Reply(200, "application/json",
                StubUpstream.chatJson("gpt-4o-mini", "It is sunny in Paris.", 95, 7), Map.of(), null));
        Message answer = client.messages().create(params("gpt-tools", "anth-tool-2").addTool(weather)
                .addMessage(m)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId("call_abc").content("22 C, sunny").build())))
                .build());
        assertEquals("It is sunny in Paris.", answer.content().get(0).text().orElseThrow().text());
        JsonNode second = Json.MAPPER.readTree(stub.receivedUnder("/v1/chat/completions").getLast().body());
        JsonNode msgs = second.path("messages");
        assertEquals("assistant", msgs.get(2).path("role").asText(), msgs.toString());
        assertEquals("call_abc", msgs.get(2).path("tool_calls").get(0).path("id").asText(), msgs.toString());
        assertEquals("tool", msgs.get(3).path("role").asText(), msgs.toString());
        assertEquals("call_abc", msgs.get(3).path("tool_call_id").asText());
        assertEquals("22 C, sunny", msgs.get(3).path("content").asText());

        CallRecord r = onlyRecord("anth-tool");
        assertEquals("openai", r.provider().orElseThrow());
        Map<?, ?> message = (Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message");
        assertEquals("get_weather", ((Map<?, ?>) ((Map<?, ?>) ((List<?>) message.get("tool_calls")).get(0)).get("function")).get("name"));
        assertEquals(List.of("tool_calls"), r.response().orElseThrow().finishReasons());
        assertEquals(80, r.usage().promptTokens());
        assertEquals(64, r.usage().cachedTokens());
        CallRecord r2 = onlyRecord("anth-tool-2");
        assertEquals("tool", r2.messages().get(3).get("role"));
    }

    @Test
    void streamedToolCallsFromAnOpenAiUpstreamBecomeToolUseBlocks() throws Exception {
        String chunk = "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}\n\n";
        stub.replyOnce("/v1/chat/completions", StubUpstream.sse(
                chunk.formatted("{\"role\":\"assistant\",\"content\":\"Let me check.\"}", "null")
                + chunk.formatted("{\"tool_calls\":[{\"index\":0,\"id\":\"call_s1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", "null")
                + chunk.formatted("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]}", "null")
                + chunk.formatted("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}", "null")
                + chunk.formatted("{}", "\"tool_calls\"")
                + "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12,\"total_tokens\":52}}\n\n"
                + "data: [DONE]\n\n"));
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(
                params("gpt-tools", "anth-tool-stream").build())) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        assertEquals("Let me check.", m.content().get(0).text().orElseThrow().text());
        ToolUseBlock use = m.content().get(1).toolUse().orElseThrow();
        assertEquals("call_s1", use.id());
        assertEquals(JsonValue.from(Map.of("location", "Oslo")), use._input());
        assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
        assertEquals(12, m.usage().outputTokens());
        JsonNode sent = Json.MAPPER.readTree(stub.receivedUnder("/v1/chat/completions").getLast().body());
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), sent.toString());
        CallRecord r = onlyRecord("anth-tool-stream");
        assertEquals(40, r.usage().promptTokens());
        assertEquals(List.of("tool_calls"), r.response().orElseThrow().finishReasons());
    }

    @Test
    void anUpstreamWithoutUsageIsCounted() throws Exception {
        stub.replyOnce("/v1/chat/completions", new StubUpstream.Reply(200, "application/json", """
                {"id":"x","object":"chat.completion","created":1,"model":"local",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Good morning! How can I assist you today?"},
                 "finish_reason":"stop"}]}""", Map.of(), null));
        Message m = client.messages().create(params("gpt-tools", "anth-nousage").build());
        assertEquals(10, m.usage().outputTokens());
        assertTrue(m.usage().inputTokens() > 0);
        CallRecord r = onlyRecord("anth-nousage");
        assertEquals(dev.llmhub.api.Usage.Source.ESTIMATED, r.usage().source());
        assertEquals(m.usage().inputTokens(), r.usage().promptTokens());
    }

    @Test
    void anUpstreamThatBreaksOffMidStreamGetsAnErrorEvent() throws Exception {
        stub.replyOnce("/v1/chat/completions", StubUpstream.sse("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"},\"finish_reason\":null}]}\n\n"));
        HttpResponse<String> res = proxy.post("/v1/messages", """
                {"model": "gpt-tools", "max_tokens": 50, "stream": true, "metadata": {"user_id": "anth-broken"},
                 "messages": [{"role": "user", "content": "hi"}]}""", "x-api-key", "sk-1234");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\""), res.body());
        assertFalse(res.body().contains("message_stop"), res.body());
        CallRecord r = onlyRecord("anth-broken");
        assertEquals(CallStatus.FAILURE, r.status());
    }

    @Test
    void errorsComeInAnthropicsShape() throws Exception {
        BadRequestException unknown = assertThrows(BadRequestException.class,
                () -> client.messages().create(params("no-such-model", "anth-unknown").build()));
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.getMessage().contains("no-such-model"), unknown.getMessage());
        CallRecord r = onlyRecord("anth-unknown");
        assertEquals(CallStatus.FAILURE, r.status());
        assertEquals(CallType.MESSAGES, r.callType());

        HttpResponse<String> missing = proxy.post("/v1/messages", """
                {"model": "claude-mock", "messages": [{"role": "user", "content": "hi"}]}""", "x-api-key", "sk-1234");
        assertEquals(400, missing.statusCode());
        JsonNode body = Json.MAPPER.readTree(missing.body());
        assertEquals("error", body.path("type").asText(), missing.body());
        assertEquals("invalid_request_error", body.path("error").path("type").asText());
        assertTrue(body.path("error").path("message").asText().contains("max_tokens"), missing.body());

        AnthropicClient wrong = AnthropicOkHttpClient.builder().baseUrl(proxy.base).apiKey("sk-wrong").maxRetries(0).build();
        try {
            assertThrows(UnauthorizedException.class, () -> wrong.messages().create(params("claude-mock", "anth-401").build()));
        } finally {
            wrong.close();
        }
        HttpResponse<String> unauthorized = proxy.post("/v1/messages", "{}", "Authorization", "Bearer nope");
        assertEquals(401, unauthorized.statusCode());
        assertEquals("authentication_error", Json.MAPPER.readTree(unauthorized.body()).path("error").path("type").asText());
        // Bearer works as well as x-api-key
        HttpResponse<String> bearer = proxy.post("/messages", """
                {"model": "claude-mock", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}""",
                "Authorization", "Bearer sk-1234");
        assertEquals(200, bearer.statusCode(), bearer.body());
        assertEquals("message", Json.MAPPER.readTree(bearer.body()).path("type").asText());
    }
}
