package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code anthropic/} provider against a real HTTP stub on loopback that answers as Anthropic's
 * API does (shapes recorded from Anthropic's documentation, see {@code resources/anthropic/SOURCE.md}):
 * the official OpenAI SDK gets chat answers and streams translated from Messages, with usage and
 * cost including cache tokens; overloaded and rate-limited answers are retried and end in OpenAI's
 * error shape; an Anthropic SDK client is passed through.
 */
class AnthropicUpstreamTest {
    static final String KEY = "sk-ant-upstream-zq1";
    static StubUpstream stub;
    static TestProxy proxy;
    static OpenAIClient openai;

    @BeforeAll
    static void start() throws Exception {
        stub = new StubUpstream();
        stub.reply("/v1/messages", 200, resource("message.json"));
        stub.reply("/stream/v1/messages", StubUpstream.sse(resource("stream-text.sse")));
        stub.reply("/tool/v1/messages", StubUpstream.sse(resource("stream-tool.sse")));
        stub.reply("/limited/v1/messages", new StubUpstream.Reply(429, "application/json", resource("rate-limited.json"),
                Map.of("retry-after", "0"), null));
        proxy = new TestProxy("""
                model_list:
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: %1$s, api_key: os.environ/ANTHROPIC_API_KEY}
                  - model_name: claude-stream
                    litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: %1$s/stream/v1, api_key: os.environ/ANTHROPIC_API_KEY}
                  - model_name: claude-tool
                    litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: %1$s/tool/v1/messages, api_key: os.environ/ANTHROPIC_API_KEY}
                  - model_name: claude-limited
                    litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: %1$s/limited, api_key: os.environ/ANTHROPIC_API_KEY, max_retries: 1}
                router_settings:
                  retry_after: 0.01
                """.formatted(stub.base()), Map.of("ANTHROPIC_API_KEY", KEY));
        openai = OpenAIOkHttpClient.builder().baseUrl(proxy.base + "/v1").apiKey("any").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        openai.close();
        proxy.close();
        stub.close();
    }

    static String resource(String name) {
        return StubUpstream.anthropic(name);
    }

    private static ChatCompletionCreateParams.Builder chat(String model, String user) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.")
                .addUserMessage("Hello, Claude").user(user).maxCompletionTokens(1024);
    }

    private static CallRecord onlyRecord(String user) throws InterruptedException {
        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals(user));
        assertEquals(1, records.size(), "records for " + user);
        return records.get(0);
    }

    @Test
    void openAiClientGetsAChatAnswerWithCacheUsageAndCost() throws Exception {
        ChatCompletion c = openai.chat().completions().create(chat("claude", "up-plain").build());
        assertEquals("Hi! My name is Claude.", c.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
        var usage = c.usage().orElseThrow();
        assertEquals(21 + 188086, usage.promptTokens());
        assertEquals(393, usage.completionTokens());

        StubUpstream.Received got = stub.receivedUnder("/v1/messages").getLast();
        assertEquals(KEY, got.header("x-api-key"));
        assertEquals("2023-06-01", got.header("anthropic-version"));
        JsonNode sent = Json.MAPPER.readTree(got.body());
        assertEquals("claude-sonnet-4-5-20250929", sent.path("model").asText());
        assertEquals("Be brief.", sent.path("system").asText());
        assertEquals(1024, sent.path("max_tokens").asInt());
        assertEquals("up-plain", sent.path("metadata").path("user_id").asText());
        assertEquals("user", sent.path("messages").get(0).path("role").asText());

        CallRecord r = onlyRecord("up-plain");
        assertEquals("anthropic", r.provider().orElseThrow());
        assertEquals(new Usage(188107, 393, 188500, 0, 0, 188086, Usage.Source.PROVIDER), r.usage());
        // claude-sonnet-4-5: 3 USD/Mtok input, 3.75 cache write, 15 output
        assertEquals(21 * 3e-6 + 188086 * 3.75e-6, r.cost().orElseThrow().input(), 1e-9);
        assertEquals(393 * 15e-6, r.cost().orElseThrow().output(), 1e-9);
        assertEquals("claude-sonnet-4-5-20250929", r.responseModel().orElseThrow());
    }

    @Test
    void openAiClientStreamsWithUsageIncludingCacheReads() throws Exception {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (var s = openai.chat().completions().createStreaming(chat("claude-stream", "up-stream")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertEquals("Hello!", text.toString());
        var usage = chunks.getLast().usage().orElseThrow();
        assertEquals(25 + 188086, usage.promptTokens());
        assertEquals(15, usage.completionTokens());
        assertEquals(188086, usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
        assertTrue(chunks.stream().anyMatch(ch -> ch.choices().stream().anyMatch(x -> x.finishReason().isPresent())));

        CallRecord r = onlyRecord("up-stream");
        assertEquals(new Usage(188111, 15, 188126, 188086, 0, 0, Usage.Source.PROVIDER), r.usage());
        assertEquals(25 * 3e-6 + 188086 * 0.3e-6, r.cost().orElseThrow().input(), 1e-9);
        assertTrue(r.firstTokenTime().isPresent());
        assertEquals("Hello!", ((Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message")).get("content"));
    }

    @Test
    void toolUseStreamBecomesToolCallDeltas() throws Exception {
        StringBuilder args = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<String> finish = new ArrayList<>();
        try (var s = openai.chat().completions().createStreaming(chat("claude-tool", "up-tool").build())) {
            s.stream().forEach(chunk -> chunk.choices().forEach(ch -> {
                ch.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function().ifPresent(f -> {
                    f.name().ifPresent(names::add);
                    f.arguments().ifPresent(args::append);
                })));
                ch.finishReason().ifPresent(f -> finish.add(f.asString()));
            }));
        }
        assertEquals(List.of("get_weather"), names);
        assertEquals(Map.of("location", "San Francisco, CA", "unit", "fahrenheit"),
                Json.MAPPER.readValue(args.toString(), Map.class));
        assertEquals(List.of("tool_calls"), finish);
        CallRecord r = onlyRecord("up-tool");
        Map<?, ?> message = (Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message");
        assertEquals("Okay, let's check the weather for San Francisco, CA:", message.get("content"));
        assertEquals(1, ((List<?>) message.get("tool_calls")).size());
        assertEquals(472, r.usage().promptTokens());
        assertEquals(89, r.usage().completionTokens());
    }

    @Test
    void overloadedIsRetriedThenAnswered() throws Exception {
        stub.replyOnce("/v1/messages", new StubUpstream.Reply(529, "application/json", resource("overloaded.json"),
                Map.of(), null));
        ChatCompletion c = openai.chat().completions().create(chat("claude", "up-529").build());
        assertEquals("Hi! My name is Claude.", c.choices().get(0).message().content().orElseThrow());
        CallRecord r = onlyRecord("up-529");
        assertEquals(CallStatus.SUCCESS, r.status());
        assertEquals(2, r.attempts().size());
        var first = r.attempts().get(0).error().orElseThrow();
        assertEquals(503, first.httpStatus().orElseThrow());
        assertEquals("overloaded_error", first.providerCode().orElseThrow());
        assertTrue(first.retryable());
    }

    @Test
    void rateLimitedEndsInOpenAisErrorShapeAfterRetrying() throws Exception {
        RateLimitException e = assertThrows(RateLimitException.class,
                () -> openai.chat().completions().create(chat("claude-limited", "up-429").build()));
        assertEquals(429, e.statusCode());
        // OpenAI's shape: {"error": {"message", "type", "param", "code"}}, Anthropic's type as the code
        var raw = proxy.post("/v1/chat/completions", """
                {"model": "claude-limited", "messages": [{"role": "user", "content": "hi"}], "user": "up-429-raw"}""");
        assertEquals(429, raw.statusCode());
        JsonNode error = Json.MAPPER.readTree(raw.body()).path("error");
        assertEquals("rate_limit_error", error.path("type").asText(), raw.body());
        assertEquals("rate_limit_error", error.path("code").asText(), raw.body());
        assertTrue(error.path("message").asText().contains("per-minute rate limit"), raw.body());
        CallRecord r = onlyRecord("up-429");
        assertEquals(2, r.attempts().size());
        assertEquals("rate_limit_error", r.error().orElseThrow().providerCode().orElseThrow());
        assertTrue(!r.error().orElseThrow().message().contains(KEY));
    }

    @Test
    void anthropicClientIsPassedThrough() throws Exception {
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(proxy.base).apiKey("any").maxRetries(0).build();
        try {
            Message m = anthropic.messages().create(MessageCreateParams.builder().model("claude").maxTokens(100)
                    .addUserMessage("Hello, Claude").metadata(com.anthropic.models.messages.Metadata.builder()
                            .userId("up-pass").build()).putAdditionalHeader("anthropic-beta", "context-1m-2025-08-07")
                    .build());
            assertEquals("msg_013Zva2CMHLNnXjNJJKqJ2EF", m.id());
            StubUpstream.Received got = stub.receivedUnder("/v1/messages").getLast();
            assertEquals("context-1m-2025-08-07", got.header("anthropic-beta"));
            assertEquals(KEY, got.header("x-api-key"));
            assertEquals("2023-06-01", got.header("anthropic-version"));
            assertEquals(188086, m.usage().cacheCreationInputTokens().orElseThrow());
            JsonNode sent = Json.MAPPER.readTree(stub.receivedUnder("/v1/messages").getLast().body());
            assertEquals(Map.of("user_id", "up-pass"), Json.MAPPER.convertValue(sent.path("metadata"), Map.class));

            MessageAccumulator acc = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(MessageCreateParams.builder()
                    .model("claude-tool").maxTokens(100).addUserMessage("Weather in SF?").metadata(
                            com.anthropic.models.messages.Metadata.builder().userId("up-pass-stream").build()).build())) {
                s.stream().forEach(acc::accumulate);
            }
            assertEquals("get_weather", acc.message().content().get(1).toolUse().orElseThrow().name());
            CallRecord r = onlyRecord("up-pass-stream");
            assertEquals(CallType.MESSAGES, r.callType());
            assertEquals(List.of("tool_calls"), r.response().orElseThrow().finishReasons());
            assertEquals(472, r.usage().promptTokens());
        } finally {
            anthropic.close();
        }
        CallRecord plain = onlyRecord("up-pass");
        assertEquals(188107, plain.usage().promptTokens());
        assertEquals(188086, plain.usage().cacheCreationTokens());
    }
}
