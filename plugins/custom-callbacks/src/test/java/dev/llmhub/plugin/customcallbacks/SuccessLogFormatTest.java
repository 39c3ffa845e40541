package dev.llmhub.plugin.customcallbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.record.SampleRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SuccessLogFormatTest {

    /** The seed's "Resulting Log on Proxy", for our sample of the seed's call (key as hash, header redacted). */
    static final String SEED_BLOCK = """
            On Success
                Model: gpt-3.5-turbo,
                Messages: [{'role': 'user', 'content': 'good morning good sir'}],
                User: ishaan-app,
                Usage: {'completion_tokens': 10, 'prompt_tokens': 11, 'total_tokens': 21},
                Cost: 3.65e-05,
                Response: {'id': 'chatcmpl-8S8avKJ1aVBg941y5xzGMSKrYCMvN', 'choices': [{'finish_reason': 'stop', 'index': 0, 'message': {'content': 'Good morning! How can I assist you today?', 'role': 'assistant'}}], 'created': 1701716913, 'model': 'gpt-3.5-turbo-0613', 'object': 'chat.completion', 'system_fingerprint': None, 'usage': {'completion_tokens': 10, 'prompt_tokens': 11, 'total_tokens': 21}}
                Proxy Metadata: {'tags': ['prod', 'checkout'], 'session_id': 'session-42', 'trace_name': 'greeting', 'user_api_key': '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b', 'headers': Headers({'host': '0.0.0.0:8000', 'user-agent': 'curl/7.88.1', 'accept': '*/*', 'authorization': '[REDACTED]', 'content-length': '199', 'content-type': 'application/x-www-form-urlencoded'}), 'model_group': 'gpt-3.5-turbo', 'deployment': 'gpt-3.5-turbo-0'}""";

    @Test
    void printsTheSeedsBlockForTheSeedsCall() {
        assertEquals(SEED_BLOCK, SuccessLogFormat.format(SampleRecords.seedSuccess().build()));
    }

    @Test
    void withoutClientMetadataOrKeyTheMetadataLineHasTheSeedsShape() {
        CallRecord r = SampleRecords.seedSuccess().metadata(Map.of()).apiKey(null).build();
        String line = SuccessLogFormat.format(r).lines().filter(l -> l.startsWith("    Proxy Metadata: ")).findFirst().orElseThrow();
        assertEquals("    Proxy Metadata: {'user_api_key': None, 'headers': Headers({'host': '0.0.0.0:8000', "
                + "'user-agent': 'curl/7.88.1', 'accept': '*/*', 'authorization': '[REDACTED]', 'content-length': '199', "
                + "'content-type': 'application/x-www-form-urlencoded'}), 'model_group': 'gpt-3.5-turbo', "
                + "'deployment': 'gpt-3.5-turbo-0'}", line);
    }

    @Test
    void theDocsShowWhatThePluginPrints() throws Exception {
        // docs/destinations/custom-callbacks.md shows the seed's request, which sends no metadata.
        String doc = Files.readString(Path.of("../../docs/destinations/custom-callbacks.md"));
        int start = doc.indexOf("On Success\n");
        int end = doc.indexOf('\n', doc.indexOf("    Proxy Metadata: ", start));
        String expected = SuccessLogFormat.format(SampleRecords.seedSuccess().metadata(Map.of()).build());
        assertEquals(expected, doc.substring(start, end));
    }

    @Test
    void absentUserCostAndResponsePrintAsNone() {
        CallRecord r = SampleRecords.seedSuccess().user(null).cost(null).response(null).build();
        String block = SuccessLogFormat.format(r);
        assertEquals(true, block.contains("\n    User: None,\n"), block);
        assertEquals(true, block.contains("\n    Cost: None,\n"), block);
        assertEquals(true, block.contains("\n    Response: None\n"), block);
    }

    @Test
    void aToolCallResponsePrintsContentNoneAndTheCallsInOpenAiOrder() {
        Map<String, Object> call = new java.util.LinkedHashMap<>();
        call.put("id", "call_1");
        call.put("type", "function");
        call.put("function", Map.of("name", "get_weather"));
        Map<String, Object> message = new java.util.HashMap<>();
        message.put("tool_calls", java.util.List.of(call));
        message.put("role", "assistant");
        message.put("content", null);
        CallRecord r = SampleRecords.seedSuccess().response(new dev.llmhub.api.ResponseContent("chatcmpl-1", 1L,
                java.util.List.of(Map.of("message", message, "index", 0, "finish_reason", "tool_calls")),
                java.util.List.of("tool_calls"), java.util.Optional.of("fp_1"), java.util.Optional.empty())).build();
        String block = SuccessLogFormat.format(r);
        assertEquals(true, block.contains("'choices': [{'finish_reason': 'tool_calls', 'index': 0, 'message': "
                + "{'content': None, 'role': 'assistant', 'tool_calls': [{'id': 'call_1', 'type': 'function', "
                + "'function': {'name': 'get_weather'}}]}}], 'created': 1, "), block);
        assertEquals(true, block.contains("'system_fingerprint': 'fp_1'"), block);
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({"3.65e-05, 3.65e-05", "1e-05, 1e-05", "0.0001, 0.0001", "0.2, 0.2", "100.0, 100.0",
            "1e15, 1000000000000000.0", "1e16, 1e+16", "-2.5e-07, -2.5e-07", "0.1, 0.1", "0.0, 0.0"})
    void floatsPrintAsPythonReprDoes(double value, String python) {
        assertEquals(python, PyRepr.of(value));
    }

    @Test
    void sumsPrintWithTheDigitsIeeeArithmeticLeaves() {
        assertEquals("0.30000000000000004", PyRepr.of(0.1 + 0.2));
        // gpt-3.5-turbo prices times the seed's tokens, in IEEE arithmetic as Python does it
        assertEquals("3.65e-05", PyRepr.of(11 * 0.0000015 + 10 * 0.000002));
    }

    static Stream<Arguments> stringsAndScalars() {
        return Stream.of(
                arguments("plain", "'plain'"),
                arguments("it's", "\"it's\""),
                arguments("say \"hi\" it's", "'say \"hi\" it\\'s'"),
                arguments("a\nb\\c\u0001", "'a\\nb\\\\c\\x01'"),
                arguments(java.util.Arrays.asList(true, false, null, 3, 1.5, Map.of()), "[True, False, None, 3, 1.5, {}]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("stringsAndScalars")
    void stringsAndScalarsPrintAsPythonReprDoes(Object value, String python) {
        assertEquals(python, PyRepr.of(value));
    }
}
