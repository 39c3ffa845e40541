package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
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
 * OpenAI's Responses API with the official OpenAI Java SDK: answered natively by the mock (plain and
 * streamed with the Responses event types) and passed through to an OpenAI-compatible upstream.
 */
class ResponsesApiTest {
    static final String MOCK_TEXT = "Good morning! How can I assist you today?";
    static StubUpstream stub;
    static TestProxy proxy;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        stub = new StubUpstream();
        stub.reply("/v1/responses", 200, """
                {"id":"resp_up1","object":"response","created_at":1741476542,"status":"completed","error":null,
                 "incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-4.1-2025-04-14",
                 "output":[{"type":"function_call","id":"fc_1","call_id":"call_w1","name":"get_weather",
                   "arguments":"{\\"city\\":\\"Paris\\"}","status":"completed"}],
                 "parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},
                 "store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],
                 "top_p":1.0,"truncation":"disabled","user":null,"metadata":{},
                 "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,
                   "output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}""");
        proxy = new TestProxy("""
                model_list:
                  - model_name: gpt-mock
                    litellm_params: {model: gpt-4o-mini, mock_response: "%s"}
                  - model_name: gpt-up
                    litellm_params: {model: openai/gpt-4.1, api_base: %s/v1, api_key: upstream-key}
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: %2$s, api_key: k}
                """.formatted(MOCK_TEXT, stub.base()));
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.base + "/v1").apiKey("any").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        proxy.close();
        stub.close();
    }

    private static CallRecord onlyRecord(String user) throws InterruptedException {
        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals(user));
        assertEquals(1, records.size(), "records for " + user);
        return records.get(0);
    }

    private static ResponseCreateParams.Builder params(String model, String user) {
        return ResponseCreateParams.builder().model(model).instructions("Be kind.").input("good morning good sir").user(user);
    }

    @Test
    void sdkPlainResponseFromTheMock() throws Exception {
        Response r = client.responses().create(params("gpt-mock", "resp-plain").build());
        assertEquals(ResponseStatus.COMPLETED, r.status().orElseThrow());
        String text = r.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text();
        assertEquals(MOCK_TEXT, text);
        assertEquals(10, r.usage().orElseThrow().outputTokens());
        assertTrue(r.id().startsWith("resp_"));

        CallRecord rec = onlyRecord("resp-plain");
        assertEquals(CallType.RESPONSES, rec.callType());
        assertEquals(List.of(Map.of("role", "system", "content", "Be kind."),
                Map.of("role", "user", "content", "good morning good sir")), rec.messages());
        assertEquals(MOCK_TEXT, ((Map<?, ?>) rec.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertEquals(r.usage().orElseThrow().inputTokens(), rec.usage().promptTokens());
        assertEquals(Usage.Source.PROVIDER, rec.usage().source());
        assertTrue(rec.cost().isPresent(), "gpt-4o-mini is in the price table");
        assertEquals(r.id(), rec.response().orElseThrow().id());
    }

    @Test
    void sdkStreamFromTheMockUsesTheResponsesEvents() throws Exception {
        StringBuilder text = new StringBuilder();
        List<String> types = new ArrayList<>();
        Response completed = null;
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params("gpt-mock", "resp-stream").build())) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) s.stream()::iterator) {
                e.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                types.add(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(e)).path("type").asText());
                if (e.completed().isPresent()) {
                    completed = e.completed().get().response();
                }
            }
        }
        assertEquals(MOCK_TEXT, text.toString());
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added"), types.subList(0, 4));
        assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), types.subList(types.size() - 4, types.size()));
        assertEquals(10, completed.usage().orElseThrow().outputTokens());

        CallRecord rec = onlyRecord("resp-stream");
        assertTrue(rec.stream());
        assertTrue(rec.firstTokenTime().isPresent());
        assertEquals(completed.usage().orElseThrow().inputTokens(), rec.usage().promptTokens());
        assertEquals(MOCK_TEXT, ((Map<?, ?>) rec.response().orElseThrow().choices().get(0).get("message")).get("content"));
    }

    @Test
    void passedThroughToAnOpenAiUpstream() throws Exception {
        Response r = client.responses().create(params("gpt-up", "resp-up").build());
        assertEquals("get_weather", r.output().get(0).functionCall().orElseThrow().name());
        JsonNode sent = Json.MAPPER.readTree(stub.receivedUnder("/v1/responses").getLast().body());
        assertEquals("gpt-4.1", sent.path("model").asText());
        assertEquals("Be kind.", sent.path("instructions").asText());
        assertEquals("Bearer upstream-key", stub.receivedUnder("/v1/responses").getLast().header("authorization"));

        CallRecord rec = onlyRecord("resp-up");
        assertEquals(new Usage(36, 87, 123, 0, 0, Usage.Source.PROVIDER), rec.usage());
        Map<?, ?> message = (Map<?, ?>) rec.response().orElseThrow().choices().get(0).get("message");
        assertEquals(1, ((List<?>) message.get("tool_calls")).size());
        assertEquals(List.of("tool_calls"), rec.response().orElseThrow().finishReasons());
    }

    @Test
    void aStreamFromAnOpenAiUpstreamIsRelayedEventByEvent() throws Exception {
        String created = "{\"id\":\"resp_s\",\"object\":\"response\",\"created_at\":1,\"status\":\"in_progress\","
                + "\"model\":\"gpt-4.1\",\"output\":[],\"usage\":null}";
        String done = "{\"id\":\"resp_s\",\"object\":\"response\",\"created_at\":1,\"status\":\"completed\","
                + "\"model\":\"gpt-4.1\",\"output\":[{\"type\":\"message\",\"id\":\"m1\",\"status\":\"completed\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi there\",\"annotations\":[]}]}],"
                + "\"usage\":{\"input_tokens\":5,\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":2,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":1},\"total_tokens\":7}}";
        stub.replyOnce("/v1/responses", StubUpstream.sse(
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":" + created + "}\n\n"
                + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                + "\"item_id\":\"m1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi there\",\"logprobs\":[]}\n\n"
                + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":" + done + "}\n\n"));
        var res = proxy.post("/v1/responses", """
                {"model": "gpt-up", "input": "hi", "stream": true, "user": "resp-up-stream"}""");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.body().startsWith("event: response.created\ndata: {"), res.body());
        assertTrue(res.body().contains("event: response.output_text.delta\n"), res.body());
        assertTrue(res.body().contains("event: response.completed\n"), res.body());
        CallRecord rec = onlyRecord("resp-up-stream");
        assertEquals(new Usage(5, 2, 7, 2, 1, Usage.Source.PROVIDER), rec.usage());
        assertEquals("Hi there", ((Map<?, ?>) rec.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertTrue(rec.firstTokenTime().isPresent());
    }

    @Test
    void aFailedUpstreamResponseIsRelayedAndRecordedAsAFailure() throws Exception {
        stub.replyOnce("/v1/responses", StubUpstream.sse("event: response.failed\ndata: {\"type\":\"response.failed\","
                + "\"sequence_number\":0,\"response\":{\"id\":\"resp_f\",\"object\":\"response\",\"created_at\":1,"
                + "\"status\":\"failed\",\"model\":\"gpt-4.1\",\"output\":[],\"error\":{\"code\":\"server_error\","
                + "\"message\":\"The model failed to generate a response.\"}}}\n\n"));
        var res = proxy.post("/v1/responses", """
                {"model": "gpt-up", "input": "hi", "stream": true, "user": "resp-failed"}""");
        assertEquals(200, res.statusCode());
        assertTrue(res.body().contains("event: response.failed\n"), res.body());
        assertTrue(!res.body().contains("event: error"), res.body());
        CallRecord rec = onlyRecord("resp-failed");
        assertEquals(CallStatus.FAILURE, rec.status());
        assertEquals("server_error", rec.error().orElseThrow().providerCode().orElseThrow());
        assertTrue(rec.error().orElseThrow().message().contains("failed to generate"), rec.error().toString());
    }

    @Test
    void aDeploymentThatCannotServeItSaysSo() throws Exception {
        BadRequestException e = org.junit.jupiter.api.Assertions.assertThrows(BadRequestException.class,
                () -> client.responses().create(params("claude", "resp-anthropic").build()));
        assertTrue(e.getMessage().contains("does not serve the responses API"), e.getMessage());
        CallRecord rec = onlyRecord("resp-anthropic");
        assertEquals(CallStatus.FAILURE, rec.status());
        var missing = proxy.post("/responses", "{\"model\": \"gpt-mock\"}");
        assertEquals(400, missing.statusCode());
        assertEquals("input", Json.MAPPER.readTree(missing.body()).path("error").path("param").asText(), missing.body());
    }
}
