package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Cost;
import dev.llmhub.api.Usage;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.record.CallRecordJson;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK and the seed's curl against a running proxy with the mock model. */
class OpenAiClientTest {
    static final String MOCK_TEXT = "Good morning! How can I assist you today?";
    static final String CONFIG = "model_list:\n" + SeedRequests.MOCK_MODEL + """
            general_settings:
              master_key: sk-1234
            """;

    static TestProxy proxy;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        proxy = new TestProxy(CONFIG);
        client = OpenAIOkHttpClient.builder().baseUrl(proxy.base + "/v1").apiKey("sk-1234").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        proxy.close();
    }

    private static ChatCompletionCreateParams.Builder seedParams(String user) {
        return ChatCompletionCreateParams.builder().model("gpt-3.5-turbo").addUserMessage("good morning good sir")
                .user(user).temperature(0.2);
    }

    @Test
    void sdkNonStreamingGetsTheSeedsUsageAndOneRecord() throws Exception {
        ChatCompletion c = client.chat().completions().create(seedParams("sdk-plain").build());
        assertEquals(MOCK_TEXT, c.choices().get(0).message().content().orElseThrow());
        assertEquals(11, c.usage().orElseThrow().promptTokens());
        assertEquals(10, c.usage().orElseThrow().completionTokens());
        assertEquals(21, c.usage().orElseThrow().totalTokens());

        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals("sdk-plain"));
        assertEquals(1, records.size());
        CallRecord r = records.get(0);
        assertEquals(CallStatus.SUCCESS, r.status());
        assertEquals(new Usage(11, 10, 21, 0, 0, Usage.Source.PROVIDER), r.usage());
        assertEquals(3.65e-05, r.cost().orElseThrow().total());
        assertEquals(Cost.Source.CONFIG, r.cost().orElseThrow().source());
        assertEquals("gpt-3.5-turbo", r.modelGroup());
        assertEquals("mock", r.provider().orElseThrow());
        assertEquals(1, r.attempts().size());
        assertEquals(KeyHasher.sha256("sk-1234"), r.apiKey().orElseThrow().hash());
        assertEquals("master_key", r.apiKey().orElseThrow().alias().orElseThrow());
        assertEquals(MOCK_TEXT, ((java.util.Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertNoRawKey(r);
        assertTrue(proxy.sink.pre.stream().anyMatch(p -> p.callId().equals(r.id())));
        assertTrue(proxy.sink.post.stream().anyMatch(p -> p.callId().equals(r.id())));
    }

    @Test
    void sdkStreamingAssemblesTheAnswerAndReportsUsageWhenAsked() throws Exception {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                seedParams("sdk-stream").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        assertEquals(MOCK_TEXT, text.toString());
        assertTrue(chunks.size() > 3, "the mock streams several chunks");
        var usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
        assertEquals(11, usage.promptTokens());
        assertEquals(10, usage.completionTokens());

        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals("sdk-stream"));
        assertEquals(1, records.size());
        CallRecord r = records.get(0);
        assertTrue(r.stream());
        assertEquals(CallStatus.SUCCESS, r.status());
        assertEquals(21, r.usage().totalTokens());
        assertTrue(r.firstTokenTime().isPresent());
        assertEquals(3.65e-05, r.cost().orElseThrow().total());
        assertEquals(MOCK_TEXT, ((java.util.Map<?, ?>) r.response().orElseThrow().choices().get(0).get("message")).get("content"));
        assertEquals(List.of("stop"), r.response().orElseThrow().finishReasons());
        assertTrue(proxy.sink.chunks.stream().filter(c -> c.callId().equals(r.id())).count() > 3);
        assertNoRawKey(r);
    }

    @Test
    void streamingWithoutIncludeUsageSendsNoUsageChunk() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(seedParams("sdk-stream-nousage").build())) {
            stream.stream().forEach(chunks::add);
        }
        assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()));
        assertTrue(chunks.stream().noneMatch(c -> c.choices().isEmpty()));
    }

    @Test
    void theSeedsCurlFormEncodedBodyWorksExactlyAsWritten() throws Exception {
        HttpResponse<String> res = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING,
                "Authorization", "Bearer sk-1234", "Content-Type", "application/x-www-form-urlencoded",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertEquals(200, res.statusCode(), res.body());
        assertEquals("3.65e-05", res.headers().firstValue("x-llmhub-response-cost").orElseThrow());
        JsonNode json = Json.MAPPER.readTree(res.body());
        assertEquals(11, json.path("usage").path("prompt_tokens").asInt());
        assertEquals(10, json.path("usage").path("completion_tokens").asInt());
        assertEquals(21, json.path("usage").path("total_tokens").asInt());
        assertEquals(MOCK_TEXT, json.path("choices").path(0).path("message").path("content").asText());

        CallRecord r = proxy.sink.awaitRecords(x -> x.user().orElse("").equals("ishaan-app")).get(0);
        assertEquals("0af7651916cd43dd8448eb211c80319c", r.traceId());
        assertEquals("b7ad6b7169203331", r.parentSpanId().orElseThrow());
        assertFalse(r.spanId().equals("b7ad6b7169203331"));
        assertEquals(CallRecord.REDACTED, r.headers().get("authorization"));
        assertEquals("application/x-www-form-urlencoded", r.headers().get("content-type"));
        assertEquals(0.2, ((Number) r.requestParams().get("temperature")).doubleValue());
        assertFalse(r.requestParams().containsKey("model"));
        assertFalse(r.requestParams().containsKey("messages"));
        assertEquals("ishaan-app", r.endUser().orElseThrow());
        assertNoRawKey(r);
    }

    @Test
    void metadataAndEndUserReachTheRecordAndNoLogSuppressesIt() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions", """
                {"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}],"user":"meta-user",
                 "metadata":{"end_user_id":"customer-7","tags":["a","b"],"session_id":"s1"}}""",
                "x-api-key", "sk-1234");
        assertEquals(200, res.statusCode(), res.body());
        CallRecord r = proxy.sink.awaitRecords(x -> x.user().orElse("").equals("meta-user")).get(0);
        assertEquals("customer-7", r.endUser().orElseThrow());
        assertEquals("s1", r.metadata().get("session_id"));
        assertFalse(r.requestParams().containsKey("metadata"));

        HttpResponse<String> hidden = proxy.post("/v1/chat/completions", """
                {"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}],"user":"no-log-user","no-log":true}""",
                "api-key", "sk-1234");
        assertEquals(200, hidden.statusCode());
        // the record of a non-streamed call is published before its answer is sent
        assertTrue(proxy.sink.byUser("no-log-user").isEmpty());
    }

    @Test
    void failuresAreRecordedOnceToo() throws Exception {
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("x").user("fail-user").build()));
        assertTrue(e.getMessage().contains("gpt-3.5-turbo"), e.getMessage());
        List<CallRecord> records = proxy.sink.awaitRecords(r -> r.user().orElse("").equals("fail-user"));
        assertEquals(1, records.size());
        assertEquals(CallStatus.FAILURE, records.get(0).status());
        assertEquals(400, records.get(0).error().orElseThrow().httpStatus().orElseThrow());
        assertNoRawKey(records.get(0));
    }

    @Test
    void embeddingsAndModelsWorkWithTheSdk() {
        CreateEmbeddingResponse e = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("gpt-3.5-turbo").input("good morning").build());
        assertEquals(1, e.data().size());
        assertFalse(e.data().get(0).embedding().isEmpty());
        assertEquals(2, e.usage().promptTokens());
        assertEquals(List.of("gpt-3.5-turbo"), client.models().list().data().stream().map(m -> m.id()).toList());
    }

    private static void assertNoRawKey(CallRecord r) {
        String json = CallRecordJson.write(r);
        assertFalse(json.contains("sk-1234"), json);
    }

    @Test
    void streamsEvenWhenTheClientAcceptsOnlyJsonAsTheNodeAndPythonSdksDo() throws Exception {
        HttpResponse<String> res = proxy.post("/v1/chat/completions",
                "{\"model\":\"gpt-3.5-turbo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":\"accept-json\"}",
                "Authorization", "Bearer sk-1234", "Accept", "application/json");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<String> events = res.body().lines().filter(l -> !l.isEmpty()).toList();
        assertTrue(events.stream().allMatch(l -> l.startsWith("data: ")), res.body());
        assertEquals("data: [DONE]", events.get(events.size() - 1));
        assertEquals(1, proxy.sink.awaitRecords(r -> r.user().orElse("").equals("accept-json")).size());
    }
}
