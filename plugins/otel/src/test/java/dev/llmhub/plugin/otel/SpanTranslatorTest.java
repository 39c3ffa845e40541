package dev.llmhub.plugin.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.core.record.CallRecordJson;
import dev.llmhub.core.record.SampleRecords;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Call types, tool calls, completions prompts and unusual ids, translated without a network. */
class SpanTranslatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpanTranslator translator = new SpanTranslator(InstrumentationScopeInfo.create("t"),
            r -> Resource.empty(), CallRecordJson::write, ContentCapture.SPAN_ONLY);

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Test
    void embeddingsAreNamedByTheModelSentAndCarryNoContent() {
        CallRecord embedding = SampleRecords.seedSuccess().id("call-emb-1").callType(CallType.EMBEDDING).requestPath("/v1/embeddings")
                .model("stub-embed").modelGroup("stub-embed").upstreamModel("text-embedding-3-small")
                .messages(List.of(Map.of("role", "user", "content", List.of("first text", "second text"))))
                .response(new ResponseContent("call-emb-1", 1L, List.of(), List.of(), Optional.empty(), Optional.empty()))
                .requestParams(Map.of("encoding_format", "float", "dimensions", 256)).build();
        List<SpanData> spans = translator.spans(embedding);
        assertEquals("POST /v1/embeddings", spans.get(0).getName());
        SpanData op = spans.get(1);
        assertEquals("embeddings text-embedding-3-small", op.getName());
        assertEquals("text-embedding-3-small", op.getAttributes().get(GenAi.REQUEST_MODEL));
        assertEquals(SpanKind.CLIENT, op.getKind());
        assertEquals(List.of("float"), op.getAttributes().get(GenAi.REQUEST_ENCODING_FORMATS));
        assertEquals(256L, op.getAttributes().get(GenAi.EMBEDDINGS_DIMENSION_COUNT));
        assertNull(op.getAttributes().get(GenAi.USAGE_OUTPUT_TOKENS));
        assertNull(attr(op, GenAi.INPUT_MESSAGES), "the embeddings span defines no content attribute");
        assertNull(op.getAttributes().get(GenAi.RESPONSE_ID), "llmhub's own id stands in when the provider sent none");
        assertTrue(spans.stream().noneMatch(s -> s.toString().contains("first text")));
    }

    @Test
    void anAnthropicMessagesCallIsAChatSpanOfProviderAnthropic() {
        CallRecord messages = SampleRecords.seedSuccess().id("call-msg-1").callType(CallType.MESSAGES)
                .requestPath("/v1/messages").provider("anthropic").apiBase("https://api.anthropic.com")
                .model("claude").modelGroup("claude").upstreamModel("claude-sonnet-4-5").build();
        List<SpanData> spans = translator.spans(messages);
        assertEquals("POST /v1/messages", spans.get(0).getName());
        SpanData op = spans.get(1);
        assertEquals("chat claude-sonnet-4-5", op.getName());
        assertEquals("chat", attr(op, "gen_ai.operation.name"));
        assertEquals("anthropic", op.getAttributes().get(GenAi.PROVIDER_NAME));
        assertEquals(SpanKind.CLIENT, op.getKind());
        assertEquals(messages.usage().promptTokens(), op.getAttributes().get(GenAi.USAGE_INPUT_TOKENS));
    }

    @Test
    void anIdThatIsTheRecordsOwnIsNoResponseId() {
        CallRecord r = SampleRecords.seedSuccess().build();
        CallRecord ownId = r.toBuilder().response(new ResponseContent(r.id(), 1L, r.response().orElseThrow().choices(),
                List.of("stop"), Optional.empty(), Optional.empty())).build();
        assertNull(translator.spans(ownId).get(1).getAttributes().get(GenAi.RESPONSE_ID));
        assertEquals("chatcmpl-8S8avKJ1aVBg941y5xzGMSKrYCMvN", translator.spans(r).get(1).getAttributes().get(GenAi.RESPONSE_ID));
    }

    @Test
    void aCompletionsPromptListBecomesTextParts() throws Exception {
        CallRecord completion = SampleRecords.seedSuccess().callType(CallType.COMPLETION)
                .messages(List.of(Map.of("role", "user", "content", List.of("Say this", "and that"))))
                .response(new ResponseContent("cmpl-1", 1L, List.of(Map.of("index", 0, "text", "said", "finish_reason", "length")),
                        List.of("length"), Optional.empty(), Optional.empty())).build();
        SpanData op = translator.spans(completion).get(1);
        assertEquals("text_completion gpt-3.5-turbo", op.getName());
        var input = JSON.readTree(attr(op, GenAi.INPUT_MESSAGES));
        assertEquals(1, input.size());
        assertEquals("Say this", input.get(0).get("parts").get(0).get("content").asText());
        assertEquals("and that", input.get(0).get("parts").get(1).get("content").asText());
        var output = JSON.readTree(attr(op, GenAi.OUTPUT_MESSAGES));
        assertEquals("said", output.get(0).get("parts").get(0).get("content").asText());
        assertEquals("length", output.get(0).get("finish_reason").asText());
        assertNull(op.getAttributes().get(GenAi.OPENAI_API_TYPE), "chat_completions names the chat API only");
    }

    @Test
    void toolCallsBecomeToolCallPartsAndToolsTheirDefinitions() throws Exception {
        CallRecord base = SampleRecords.seedSuccess().build();
        List<Map<String, Object>> messages = List.of(
                Map.of("role", "system", "content", "be brief"),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "weather?"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png")))),
                Map.of("role", "tool", "tool_call_id", "call_1", "content", "sunny"));
        Map<String, Object> toolCall = Map.of("id", "call_2", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"));
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "get_weather",
                "description", "Weather of a city", "parameters", Map.of("type", "object")));
        CallRecord r = base.toBuilder().messages(messages).requestParams(Map.of("tools", List.of(tool)))
                .response(new ResponseContent("chatcmpl-1", 1L,
                        List.of(Map.of("index", 0, "finish_reason", "tool_calls",
                                "message", Map.of("role", "assistant", "tool_calls", List.of(toolCall)))),
                        List.of("tool_calls"), Optional.empty(), Optional.empty())).build();
        SpanData client = translator.spans(r).get(1);
        var input = JSON.readTree(attr(client, GenAi.INPUT_MESSAGES));
        assertEquals("system", input.get(0).get("role").asText(), "a chat's system message is chat history");
        assertNull(attr(client, "gen_ai.system_instructions"));
        assertEquals("uri", input.get(1).get("parts").get(1).get("type").asText());
        assertEquals("image", input.get(1).get("parts").get(1).get("modality").asText());
        assertEquals("tool_call_response", input.get(2).get("parts").get(0).get("type").asText());
        assertEquals("call_1", input.get(2).get("parts").get(0).get("id").asText());
        var output = JSON.readTree(attr(client, GenAi.OUTPUT_MESSAGES));
        assertEquals("tool_call", output.get(0).get("finish_reason").asText());
        assertEquals("get_weather", output.get(0).get("parts").get(0).get("name").asText());
        assertEquals(List.of("tool_call"), client.getAttributes().get(GenAi.RESPONSE_FINISH_REASONS));
        var tools = JSON.readTree(attr(client, GenAi.TOOL_DEFINITIONS));
        assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\"}]", tools.toString(),
                "type and name only: descriptions and schemas are large and advised against by default");
    }

    @Test
    void theBuiltInMockHasNoServerAndNoTrySpan() {
        CallRecord base = SampleRecords.seedSuccess().build();
        Attempt a = base.attempts().get(0);
        CallRecord mocked = base.toBuilder().provider("mock").apiBase("mock://llmhub").attempts(List.of(
                new Attempt(a.deployment(), "mock", Optional.empty(), a.startTime(), a.endTime(), CallStatus.SUCCESS, Optional.empty())))
                .build();
        List<SpanData> spans = translator.spans(mocked);
        assertEquals(2, spans.size(), "no HTTP span for a try that went over no network");
        assertNull(spans.get(1).getAttributes().get(GenAi.SERVER_ADDRESS));
        assertNull(spans.get(1).getAttributes().get(GenAi.SERVER_PORT));

        CallRecord local = base.toBuilder().attempts(List.of(new Attempt(a.deployment(), "openai",
                Optional.of("http://127.0.0.1/v1/chat/completions"), a.startTime(), a.endTime(), CallStatus.SUCCESS, Optional.empty())))
                .build();
        SpanData op = translator.spans(local).get(1);
        assertEquals("127.0.0.1", op.getAttributes().get(GenAi.SERVER_ADDRESS));
        assertEquals(80L, op.getAttributes().get(GenAi.SERVER_PORT));
    }

    @Test
    void aRecordWithoutAValidTraceIdStillGetsAStableValidOne() {
        CallRecord r = SampleRecords.seedSuccess().traceId("not-hex").build();
        String first = translator.spans(r).get(0).getTraceId();
        assertEquals(32, first.length());
        assertEquals(first, translator.spans(r).get(1).getTraceId());
        assertEquals(first, translator.spans(r).get(0).getTraceId());
    }
}
