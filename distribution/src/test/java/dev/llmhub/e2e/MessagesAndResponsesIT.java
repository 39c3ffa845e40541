package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.e2e.Texts.count;
import static dev.llmhub.e2e.Texts.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.llmhub.server.StubUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 from the outside: {@code bin/llmhub} serving Anthropic's Messages API and OpenAI's
 * Responses API to the official SDKs, with the mock model, an OpenAI-compatible stub and a stub
 * answering as Anthropic's API does behind it; every call leaves exactly one record in the file
 * destination (the printing callback handler fires too), and no key appears in anything the proxy
 * produced.
 */
class MessagesAndResponsesIT {
    private static final String MASTER = "sk-zqMSGMASTERxw";
    private static final String ANTHROPIC_KEY = "sk-ant-zqANTKEYxw";
    private static final String OPENAI_KEY = "sk-zqOAIKEYxw";
    private static final String MOCK_TEXT = "Good morning! How can I assist you today?";

    @Test
    void everyRouteAnswersTheSdksAndLeavesOneRecordWithoutKeys(@TempDir Path work) throws Exception {
        Path jsonl = work.resolve("calls.jsonl");
        try (StubUpstream stub = new StubUpstream()) {
            stub.reply("/v1/messages", 200, StubUpstream.anthropic("message.json"));
            stub.reply("/stream/v1/messages", StubUpstream.sse(StubUpstream.anthropic("stream-text.sse")));
            stub.reply("/v1/chat/completions", 200, """
                    {"id":"chatcmpl-t","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                     "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1",
                     "type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Oslo\\"}"}}]},
                     "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":50,"completion_tokens":9,"total_tokens":59}}""");
            String config = """
                    model_list:
                      - model_name: claude-mock
                        litellm_params: {model: mock/claude-sonnet-4-5, mock_response: "%1$s"}
                      - model_name: gpt-stub
                        litellm_params: {model: openai/gpt-4o-mini, api_base: %2$s/v1, api_key: os.environ/UPSTREAM_OPENAI_KEY}
                      - model_name: claude
                        litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: %2$s, api_key: os.environ/ANTHROPIC_API_KEY}
                      - model_name: claude-stream
                        litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: %2$s/stream, api_key: os.environ/ANTHROPIC_API_KEY}
                      - model_name: gpt-4o-mini
                        litellm_params: {model: gpt-4o-mini, mock_response: "%1$s"}
                    litellm_settings:
                      callbacks: ["custom_callbacks.proxy_handler_instance", "file"]
                      callback_settings:
                        custom_callbacks.proxy_handler_instance: {print_stream_events: false}
                        file: {path: '%3$s', flush_interval: 50ms}
                    general_settings:
                      master_key: %4$s
                    """.formatted(MOCK_TEXT, stub.base(), jsonl, MASTER);
            Map<String, String> env = Map.of("ANTHROPIC_API_KEY", ANTHROPIC_KEY, "UPSTREAM_OPENAI_KEY", OPENAI_KEY);
            try (ProxyProcess proxy = ProxyProcess.start(work, config, null, env)) {
                AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(proxy.url()).apiKey(MASTER)
                        .maxRetries(0).build();
                OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(proxy.url() + "/v1").apiKey(MASTER)
                        .maxRetries(0).build();
                try {
                    anthropicCalls(anthropic);
                    openAiCalls(openai);
                } finally {
                    anthropic.close();
                    openai.close();
                }
                List<String> users = List.of("e2e-msg-plain", "e2e-msg-stream", "e2e-msg-tool", "e2e-msg-unknown",
                        "e2e-chat-claude", "e2e-chat-claude-stream", "e2e-resp-plain", "e2e-resp-stream");
                proxy.await("a record for each call", Duration.ofSeconds(30),
                        () -> users.stream().allMatch(u -> read(jsonl).contains("\"user\":\"" + u + "\"")));
                int status = proxy.stop();
                assertTrue(status == 0 || status == 143, "exit " + status);

                Map<String, JsonNode> records = new java.util.HashMap<>();
                for (String line : read(jsonl).split("\n")) {
                    JsonNode r = JSON.readTree(line);
                    JsonNode previous = records.put(r.path("user").asText(), r);
                    assertTrue(previous == null, "two records for " + r.path("user").asText() + ":\n" + line);
                }
                assertEquals(users.size(), records.size(), read(jsonl));
                checkRecords(records);

                String output = proxy.output();
                assertTrue(count(output, "Pre-API Call") >= users.size() - 1, output);
                assertTrue(output.contains("On Failure"), output);
                for (String everything : List.of(output, read(jsonl))) {
                    for (String token : List.of("zqMSGMASTERxw", "zqANTKEYxw", "zqOAIKEYxw")) {
                        assertTrue(!everything.contains(token), token + " leaked");
                    }
                }
            }
            assertEquals(ANTHROPIC_KEY, stub.receivedUnder("/v1/messages").getLast().header("x-api-key"));
            assertEquals("Bearer " + OPENAI_KEY, stub.receivedUnder("/v1/chat/completions").getLast().header("authorization"));
        }
    }

    private static MessageCreateParams.Builder message(String model, String user) {
        return MessageCreateParams.builder().model(model).maxTokens(200).system("Be brief.")
                .metadata(Metadata.builder().userId(user).build()).addUserMessage("good morning good sir");
    }

    private static void anthropicCalls(AnthropicClient client) {
        Message plain = client.messages().create(message("claude-mock", "e2e-msg-plain").build());
        assertEquals(MOCK_TEXT, plain.content().get(0).text().orElseThrow().text());

        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(
                message("claude-mock", "e2e-msg-stream").build())) {
            s.stream().forEach(acc::accumulate);
        }
        assertEquals(MOCK_TEXT, acc.message().content().get(0).text().orElseThrow().text());

        Message tool = client.messages().create(message("gpt-stub", "e2e-msg-tool").addTool(Tool.builder()
                .name("get_weather").inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties
                        .builder().putAdditionalProperty("location", JsonValue.from(Map.of("type", "string"))).build())
                        .build()).build()).build());
        assertEquals(StopReason.TOOL_USE, tool.stopReason().orElseThrow());
        assertEquals("get_weather", tool.content().get(0).toolUse().orElseThrow().name());

        BadRequestException unknown = assertThrows(BadRequestException.class,
                () -> client.messages().create(message("no-such-model", "e2e-msg-unknown").build()));
        assertEquals(400, unknown.statusCode());
    }

    private static void openAiCalls(OpenAIClient client) {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("claude")
                .addUserMessage("Hello, Claude").user("e2e-chat-claude").build());
        assertEquals("Hi! My name is Claude.", c.choices().get(0).message().content().orElseThrow());
        assertEquals(188107, c.usage().orElseThrow().promptTokens());

        StringBuilder text = new StringBuilder();
        try (var s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("claude-stream").addUserMessage("Hello").user("e2e-chat-claude-stream")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertEquals("Hello!", text.toString());

        Response r = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini")
                .input("good morning good sir").user("e2e-resp-plain").build());
        assertEquals(MOCK_TEXT, r.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text());

        StringBuilder streamed = new StringBuilder();
        try (var s = client.responses().createStreaming(ResponseCreateParams.builder().model("gpt-4o-mini")
                .input("good morning good sir").user("e2e-resp-stream").build())) {
            s.stream().forEach(e -> e.outputTextDelta().ifPresent(d -> streamed.append(d.delta())));
        }
        assertEquals(MOCK_TEXT, streamed.toString());
    }

    private static void checkRecords(Map<String, JsonNode> records) {
        for (Map.Entry<String, JsonNode> e : records.entrySet()) {
            JsonNode r = e.getValue();
            String user = e.getKey();
            String expectedType = user.startsWith("e2e-msg") ? "messages" : user.startsWith("e2e-resp") ? "responses" : "chat";
            assertEquals(expectedType, r.path("call_type").asText(), r.toString());
            assertEquals("[REDACTED]", r.path("headers").path("authorization").asText(), r.toString());
            assertEquals(64, r.path("api_key").path("hash").asText().length(), r.toString());
            if (user.equals("e2e-msg-unknown")) {
                assertEquals("failure", r.path("status").asText());
                continue;
            }
            assertEquals("success", r.path("status").asText(), r.toString());
            assertTrue(r.path("usage").path("prompt_tokens").asLong() > 0, r.toString());
            assertTrue(r.path("usage").path("completion_tokens").asLong() > 0, r.toString());
            assertTrue(r.path("cost").path("total").asDouble() > 0, r.toString());
            assertTrue(r.path("response").path("choices").get(0).has("message"), r.toString());
            if (r.path("stream").asBoolean()) {
                assertTrue(r.path("first_token_time").isTextual(), r.toString());
            }
        }
        assertEquals("system", records.get("e2e-msg-plain").path("messages").get(0).path("role").asText());
        assertEquals(188086, records.get("e2e-chat-claude").path("usage").path("cache_creation_tokens").asLong());
        assertEquals(188086, records.get("e2e-chat-claude-stream").path("usage").path("cached_tokens").asLong());
        assertEquals("anthropic", records.get("e2e-chat-claude").path("provider").asText());
        assertEquals("tool_calls", records.get("e2e-msg-tool").path("response").path("finish_reasons").get(0).asText());
    }
}
