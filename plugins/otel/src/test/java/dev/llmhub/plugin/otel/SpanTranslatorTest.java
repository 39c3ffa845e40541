package dev.llmhub.plugin.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.core.record.SampleRecords;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Call types, tool calls and unusual ids, translated without a network. */
class SpanTranslatorTest {
    private final SpanTranslator translator = new SpanTranslator(InstrumentationScopeInfo.create("t"),
            r -> Resource.empty(), dev.llmhub.core.record.CallRecordJson::write, true);

    @Test
    void embeddingsAndCompletionsAreNamedByTheirOperation() {
        CallRecord embedding = SampleRecords.seedSuccess().callType(CallType.EMBEDDING).model("text-embedding-3-small")
                .response(null).requestParams(Map.of("encoding_format", "float")).build();
        List<SpanData> spans = translator.spans(embedding);
        assertEquals("POST /embeddings", spans.get(0).getName());
        assertEquals("embeddings text-embedding-3-small", spans.get(1).getName());
        assertEquals(SpanKind.CLIENT, spans.get(1).getKind());
        assertEquals(List.of("float"), spans.get(1).getAttributes().get(GenAi.REQUEST_ENCODING_FORMATS));
        assertNull(spans.get(1).getAttributes().get(GenAi.USAGE_OUTPUT_TOKENS));

        CallRecord completion = SampleRecords.seedSuccess().callType(CallType.COMPLETION).build();
        assertEquals("text_completion gpt-3.5-turbo", translator.spans(completion).get(1).getName());
    }

    @Test
    void toolCallsBecomeToolCallPartsAndToolCallsFinishAsToolCall() throws Exception {
        CallRecord base = SampleRecords.seedSuccess().build();
        List<Map<String, Object>> messages = List.of(
                Map.of("role", "system", "content", "be brief"),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "weather?"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png")))),
                Map.of("role", "tool", "tool_call_id", "call_1", "content", "sunny"));
        Map<String, Object> toolCall = Map.of("id", "call_2", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"));
        CallRecord r = base.toBuilder().messages(messages).response(new dev.llmhub.api.ResponseContent("chatcmpl-1", 1L,
                List.of(Map.of("index", 0, "finish_reason", "tool_calls",
                        "message", Map.of("role", "assistant", "tool_calls", List.of(toolCall)))),
                List.of("tool_calls"), java.util.Optional.empty())).build();
        SpanData client = translator.spans(r).get(1);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var input = json.readTree(client.getAttributes().get(GenAi.INPUT_MESSAGES));
        assertEquals("system", input.get(0).get("role").asText());
        assertEquals("uri", input.get(1).get("parts").get(1).get("type").asText());
        assertEquals("image", input.get(1).get("parts").get(1).get("modality").asText());
        assertEquals("tool_call_response", input.get(2).get("parts").get(0).get("type").asText());
        assertEquals("call_1", input.get(2).get("parts").get(0).get("id").asText());
        var output = json.readTree(client.getAttributes().get(GenAi.OUTPUT_MESSAGES));
        assertEquals("tool_call", output.get(0).get("finish_reason").asText());
        assertEquals("get_weather", output.get(0).get("parts").get(0).get("name").asText());
        assertEquals(List.of("tool_call"), client.getAttributes().get(GenAi.RESPONSE_FINISH_REASONS));
    }

    @Test
    void theBuiltInMockHasNoServerAddress() {
        SpanData mocked = translator.spans(SampleRecords.seedSuccess().apiBase("mock://llmhub").build()).get(1);
        assertNull(mocked.getAttributes().get(GenAi.SERVER_ADDRESS));
        assertNull(mocked.getAttributes().get(GenAi.SERVER_PORT));
        SpanData local = translator.spans(SampleRecords.seedSuccess().apiBase("http://127.0.0.1/v1").build()).get(1);
        assertEquals("127.0.0.1", local.getAttributes().get(GenAi.SERVER_ADDRESS));
        assertEquals(80L, local.getAttributes().get(GenAi.SERVER_PORT));
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
