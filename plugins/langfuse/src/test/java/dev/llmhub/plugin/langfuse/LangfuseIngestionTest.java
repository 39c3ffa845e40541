package dev.llmhub.plugin.langfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ingestion (legacy batch) mode against the stand-in, which validates every body against Langfuse's OpenAPI. */
class LangfuseIngestionTest {
    @RegisterExtension
    static final LangfuseStandIn standIn = LangfuseStandIn.forIngestionTestClass();

    private static ExportResult export(TestPluginContext context, List<CallRecord> records) {
        try (Destination d = new LangfuseDestinationFactory().create(context)) {
            return d.export(records);
        }
    }

    private static ExportResult export(CallRecord... records) {
        return export(StandInContext.of(standIn, "ingestion"), List.of(records));
    }

    private static JsonNode event(String type, String recordId) {
        String id = LangfuseIds.eventId(recordId, type);
        return standIn.events().stream().filter(e -> e.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " for " + recordId + " in " + standIn.events()));
    }

    @Test
    void seedCallBecomesATraceAndAGenerationThatMatchTheSpec() {
        CallRecord r = SampleRecords.seedSuccess().build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations());
        assertEquals(1, standIn.received().size());
        LangfuseStandIn.Received req = standIn.received().get(0);
        assertEquals("/api/public/ingestion", req.path());
        assertEquals("application/json", req.header("Content-Type"));
        assertNull(req.header("Content-Encoding"), "this endpoint reads bodies as they come");
        assertNull(req.header("x-langfuse-sdk-name"), "no SDK claim");
        assertEquals(2, standIn.events().size());

        JsonNode trace = event("trace-create", r.id()).get("body");
        assertEquals(r.traceId(), trace.get("id").asText());
        assertEquals("greeting", trace.get("name").asText());
        assertEquals("ishaan-app", trace.get("userId").asText());
        assertEquals("session-42", trace.get("sessionId").asText());
        assertEquals("rel-2026.11", trace.get("release").asText());
        assertEquals("staging", trace.get("environment").asText());
        assertEquals(List.of("prod", "checkout"), texts(trace.get("tags")));
        assertEquals(OtlpSpans.tree(r.messages()), trace.get("input"));

        JsonNode generation = event("generation-create", r.id());
        assertEquals(r.endTime().toString(), generation.get("timestamp").asText());
        JsonNode g = generation.get("body");
        assertEquals(LangfuseIds.observationId(r.id()), g.get("id").asText());
        assertEquals(r.traceId(), g.get("traceId").asText());
        assertEquals("chat gpt-3.5-turbo", g.get("name").asText());
        assertEquals("gpt-3.5-turbo-0613", g.get("model").asText());
        assertEquals(r.startTime(), Instant.parse(g.get("startTime").asText()));
        assertEquals(r.endTime(), Instant.parse(g.get("endTime").asText()));
        assertEquals(0.2, g.get("modelParameters").get("temperature").asDouble());
        assertEquals(11, g.get("usageDetails").get("input").asLong());
        assertEquals(10, g.get("usageDetails").get("output").asLong());
        assertEquals(21, g.get("usageDetails").get("total").asLong());
        assertEquals(3.65e-05, g.get("costDetails").get("total").asDouble());
        assertEquals("DEFAULT", g.get("level").asText());
        assertEquals(OtlpSpans.tree(r.messages()), g.get("input"));
        assertEquals(OtlpSpans.tree(r.response().orElseThrow().choices().get(0).get("message")), g.get("output"));
        assertFalse(g.has("completionStartTime"));
        assertEquals(r.id(), g.get("metadata").get("call_id").asText());
    }

    @Test
    void messagesAndResponsesCallsAreGenerationsLikeChat() {
        CallRecord messages = SampleRecords.seedSuccess().id("call-messages-1").callType(CallType.MESSAGES)
                .requestPath("/v1/messages").provider("anthropic").model("claude").upstreamModel("claude-sonnet-4-5").build();
        CallRecord responses = SampleRecords.seedSuccess().id("call-responses-1").callType(CallType.RESPONSES)
                .requestPath("/v1/responses").build();
        assertEquals(ExportResult.success(), export(messages, responses));
        assertEquals(List.of(), standIn.violations(), "both validate against Langfuse's openapi.yml");
        JsonNode m = event("generation-create", messages.id()).get("body");
        assertEquals("chat claude", m.get("name").asText());
        assertEquals("messages", m.get("metadata").get("call_type").asText());
        assertEquals(21, m.get("usageDetails").get("total").asLong());
        assertEquals(OtlpSpans.tree(messages.messages()), m.get("input"));
        assertEquals(OtlpSpans.tree(messages.response().orElseThrow().choices().get(0).get("message")), m.get("output"));
        assertEquals("responses", event("generation-create", responses.id()).get("body").get("metadata").get("call_type").asText());
    }

    @Test
    void failedCallIsAnErrorGeneration() {
        CallRecord r = SampleRecords.rateLimitedFailure().build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations());
        JsonNode g = event("generation-create", r.id()).get("body");
        assertEquals("ERROR", g.get("level").asText());
        assertTrue(g.get("statusMessage").asText().contains("rate_limit_error"));
        assertFalse(g.has("output"));
    }

    @Test
    void streamedCallCarriesItsCompletionStartTime() {
        CallRecord seed = SampleRecords.seedSuccess().build();
        Instant first = seed.startTime().plusMillis(95);
        CallRecord r = seed.toBuilder().stream(true).firstTokenTime(first).build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations());
        assertEquals(first, Instant.parse(event("generation-create", r.id()).get("body").get("completionStartTime").asText()));
    }

    @Test
    void litellmMetadataKeysShapeTheTraceAndKeepCallerIds() {
        Map<String, Object> md = LitellmMetadata.traceShaping("order-1234", "gen-abc");
        CallRecord r = SampleRecords.seedSuccess().metadata(md).requestParams(Map.of("temperature", 0.2,
                "max_tokens", 256, "stop", List.of("\n"), "stream", true)).build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations());
        JsonNode trace = event("trace-create", r.id()).get("body");
        assertEquals("order-1234", trace.get("id").asText());
        assertEquals("checkout-flow", trace.get("name").asText());
        assertEquals("user-77", trace.get("userId").asText());
        assertEquals("sess-9", trace.get("sessionId").asText());
        assertEquals(List.of("a", "b"), texts(trace.get("tags")));
        assertEquals("payments", trace.get("metadata").get("team").asText());
        JsonNode g = event("generation-create", r.id()).get("body");
        assertEquals("gen-abc", g.get("id").asText());
        assertEquals("order-1234", g.get("traceId").asText());
        assertEquals("summarise", g.get("name").asText());
        assertEquals("v7", g.get("version").asText());
        assertEquals("256", g.get("modelParameters").get("max_tokens").asText());
    }

    @Test
    void existingTraceIdSendsOnlyTheGeneration() {
        CallRecord r = SampleRecords.seedSuccess().metadata(Map.of("existing_trace_id", "trace-from-elsewhere",
                "trace_name", "ignored")).build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations());
        assertEquals(1, standIn.events().size());
        JsonNode g = event("generation-create", r.id()).get("body");
        assertEquals("trace-from-elsewhere", g.get("traceId").asText(), "any id is kept in this mode");
        assertFalse(g.has("parentObservationId"));
        assertEquals(List.of(), standIn.server().traceWrites("trace-from-elsewhere"));

        // The caller's span in that same trace is the parent.
        standIn.reset();
        String existing = "4bf92f3577b34da6a3ce929d0e0e4736";
        CallRecord nested = SampleRecords.seedSuccess().traceId(existing).parentSpanId("00f067aa0ba902b7")
                .metadata(Map.of("existing_trace_id", existing)).build();
        assertEquals(ExportResult.success(), export(nested));
        assertEquals("00f067aa0ba902b7", event("generation-create", nested.id()).get("body").get("parentObservationId").asText());
    }

    @Test
    void traceparentMakesTheGenerationAChildOfTheCallersSpanThatRenamesNothing() {
        CallRecord r = SampleRecords.seedSuccess().parentSpanId("00f067aa0ba902b7")
                .metadata(Map.of("session_id", "session-42")).build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations());
        JsonNode trace = event("trace-create", r.id()).get("body");
        assertEquals(r.traceId(), trace.get("id").asText());
        for (String ownersField : List.of("name", "input", "output", "release", "version")) {
            assertFalse(trace.has(ownersField), ownersField);
        }
        assertEquals("session-42", trace.get("sessionId").asText());
        JsonNode g = event("generation-create", r.id()).get("body");
        assertEquals("00f067aa0ba902b7", g.get("parentObservationId").asText());
        assertTrue(g.has("input"));
    }

    @Test
    void metadataPromptLinksTheGenerationToItsLangfusePrompt() {
        CallRecord r = SampleRecords.seedSuccess().metadata(Map.of("prompt", Map.of("name", "support-answer", "version", 3))).build();
        assertEquals(ExportResult.success(), export(r));
        assertEquals(List.of(), standIn.violations(), "promptName and promptVersion as the OpenAPI has them");
        JsonNode g = event("generation-create", r.id()).get("body");
        assertEquals("support-answer", g.get("promptName").asText());
        assertEquals(3, g.get("promptVersion").asInt());
        assertFalse(g.get("metadata").has("prompt"));
        assertEquals(3, standIn.server().observations().get(0).promptVersion().orElseThrow());
    }

    @Test
    void retriedBatchIsTheSameEventsSoLangfuseDedupes() {
        CallRecord a = SampleRecords.seedSuccess().build();
        CallRecord b = SampleRecords.rateLimitedFailure().build();
        assertEquals(ExportResult.success(), export(a, b));
        assertEquals(ExportResult.success(), export(a, b));
        List<LangfuseStandIn.Received> sent = standIn.received();
        assertEquals(2, sent.size());
        assertEquals(sent.get(0).bodyText(), sent.get(1).bodyText());
        List<String> ids = standIn.events().stream().map(e -> e.get("id").asText()).toList();
        assertEquals(ids.subList(0, 4), ids.subList(4, 8));
        assertEquals(4, ids.stream().distinct().count());
        assertNotEquals(event("generation-create", a.id()).get("body").get("id"),
                event("generation-create", b.id()).get("body").get("id"));
    }

    @Test
    void multiStatusErrorsBecomePerRecordResults() {
        CallRecord ok = SampleRecords.seedSuccess().build();
        CallRecord invalid = SampleRecords.seedSuccess().build();
        CallRecord flaky = SampleRecords.seedSuccess().build();
        String invalidGeneration = LangfuseIds.eventId(invalid.id(), "generation-create");
        String flakyTrace = LangfuseIds.eventId(flaky.id(), "trace-create");
        standIn.failEvents(e -> e.get("id").asText().equals(invalidGeneration), 400, "Invalid request data");
        standIn.failEvents(e -> e.get("id").asText().equals(flakyTrace), 500, "Internal Server Error");

        ExportResult.Partial partial = assertInstanceOf(ExportResult.Partial.class, export(ok, invalid, flaky));
        assertEquals(2, partial.failures().size());
        assertFalse(partial.failures().containsKey(ok.id()));
        assertInstanceOf(ExportResult.Permanent.class, partial.failures().get(invalid.id()));
        assertInstanceOf(ExportResult.Retryable.class, partial.failures().get(flaky.id()));
        assertEquals(List.of(), standIn.violations());
    }

    @Test
    void v4ServerRejectingEveryEventIsPermanentWithAHintToSwitchToOtel() {
        standIn.failEvents(e -> true, 400, "Event type not accepted");
        TestPluginContext context = StandInContext.of(standIn, "ingestion");
        CallRecord r = SampleRecords.seedSuccess().build();
        assertInstanceOf(ExportResult.Permanent.class, export(context, List.of(r)));
        assertTrue(context.logger().lines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("api: otel")),
                context.logger().lines().toString());
    }

    @Test
    void largeBatchesAreSplitUnderTheDocumentedLimit() {
        // Five calls of about 1 MB each: no request may pass 3.5 MB, every call must arrive.
        List<CallRecord> records = callsWithInput(5, "x".repeat(1_000_000));
        assertEquals(ExportResult.success(), export(StandInContext.of(standIn, "ingestion"), records));
        assertEquals(List.of(), standIn.violations());
        List<LangfuseStandIn.Received> sent = standIn.received();
        assertTrue(sent.size() >= 2, "split into " + sent.size());
        sent.forEach(req -> assertTrue(req.body().length <= LangfuseStandIn.SPEC_BATCH_LIMIT, "" + req.body().length));
        records.forEach(r -> event("generation-create", r.id()));
    }

    @Test
    void aCallLargerThanTheLimitIsSentWithoutItsContent() {
        CallRecord huge = SampleRecords.seedSuccess()
                .messages(List.of(Map.of("role", "user", "content", "y".repeat(2_000_000)))).build();
        CallRecord small = SampleRecords.seedSuccess().build();
        assertEquals(ExportResult.success(), export(huge, small));
        assertEquals(List.of(), standIn.violations());
        JsonNode g = event("generation-create", huge.id()).get("body");
        assertFalse(g.has("input"));
        assertTrue(g.get("metadata").get("llmhub_note").asText().contains("max_request_bytes"));
        assertTrue(event("generation-create", small.id()).get("body").has("input"));
    }

    @Test
    void wrongSecretIsPermanent() {
        TestPluginContext context = TestPluginContext.of("langfuse", Map.of("host", standIn.url(), "api", "ingestion"),
                Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", "sk-lf-nope"));
        assertInstanceOf(ExportResult.Permanent.class, export(context, List.of(SampleRecords.seedSuccess().build())));
        assertEquals(1, context.logger().lines().stream().filter(l -> l.contains("401")).count());
    }

    @Test
    void rateLimitAndServerErrorsAreRetryable() {
        standIn.answerNext(429, "12");
        ExportResult.Retryable r = assertInstanceOf(ExportResult.Retryable.class, export(SampleRecords.seedSuccess().build()));
        assertEquals(Duration.ofSeconds(12), r.after());
        standIn.answerNext(500, null);
        assertInstanceOf(ExportResult.Retryable.class, export(SampleRecords.seedSuccess().build()));
    }

    @Test
    void rateLimitMidBatchFailsOnlyWhatWasNotDelivered() {
        // About 1.4 MB per call (its input is on the trace and on the generation): two calls per request.
        List<CallRecord> records = callsWithInput(4, "z".repeat(700_000));
        // The first request goes through, the second is rate limited.
        try (Destination d = new LangfuseDestinationFactory().create(StandInContext.of(standIn, "ingestion"))) {
            standIn.answerNext(207, null);
            standIn.answerNext(429, "3");
            ExportResult.Partial p = assertInstanceOf(ExportResult.Partial.class, d.export(records));
            assertFalse(p.failures().containsKey(records.get(0).id()));
            assertFalse(p.failures().containsKey(records.get(1).id()));
            ExportResult.Retryable later = assertInstanceOf(ExportResult.Retryable.class, p.failures().get(records.get(2).id()));
            assertEquals(Duration.ofSeconds(3), later.after());
            assertInstanceOf(ExportResult.Retryable.class, p.failures().get(records.get(3).id()));
            assertEquals(2, standIn.received().size());
        }
    }

    @Test
    void aRequestRefusedAsTooLargeIsSplitAndEveryRecordDelivered() {
        List<CallRecord> records = callsWithInput(4, "w".repeat(700_000));
        standIn.answerNext(413, null);
        assertEquals(ExportResult.success(), export(StandInContext.of(standIn, "ingestion"), records));
        assertEquals(List.of(), standIn.violations());
        assertEquals(4, standIn.refusedAsTooLarge().get(0).items(), "the first request: two calls, two events each");
        records.forEach(r -> event("generation-create", r.id()));
        assertEquals(8, standIn.events().size(), "every record once");
    }

    @Test
    void aBadRequestDoesNotStopTheRestOfTheBatch() {
        List<CallRecord> records = callsWithInput(4, "v".repeat(700_000));
        standIn.answerNext(400, null);
        ExportResult.Partial p = assertInstanceOf(ExportResult.Partial.class,
                export(StandInContext.of(standIn, "ingestion"), records));
        assertInstanceOf(ExportResult.Permanent.class, p.failures().get(records.get(0).id()));
        assertInstanceOf(ExportResult.Permanent.class, p.failures().get(records.get(1).id()));
        assertEquals(2, p.failures().size());
        assertEquals(2, standIn.received().size());
        event("generation-create", records.get(3).id());
    }

    @Test
    void noSecretLeavesTheProxyExceptInTheBasicAuthHeader() {
        SecretChecks.assertNoSecretSent(standIn, StandInContext.of(standIn, "ingestion"));
    }

    @Test
    void standInCatchesBodiesThatBreakTheSpec() throws Exception {
        // The check behind every assertion above must be able to fail.
        String bad = "{\"batch\":[{\"id\":\"e1\",\"type\":\"generation-create\",\"timestamp\":\"2026-11-26T10:00:00Z\","
                + "\"body\":{\"id\":\"g1\",\"level\":\"LOUD\",\"modelParameters\":{\"max_tokens\":{\"a\":1}},\"sesionId\":\"x\"}},"
                + "{\"type\":\"trace-create\",\"body\":{}}]}";
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (LangfuseStandIn.PUBLIC_KEY + ":" + LangfuseStandIn.SECRET_KEY).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> res;
        try (HttpClient client = HttpClient.newHttpClient()) {
            res = client.send(HttpRequest.newBuilder(URI.create(standIn.url() + "/api/public/ingestion"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bad)).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertEquals(207, res.statusCode());
        String all = String.join("\n", standIn.violations());
        assertTrue(all.contains("LOUD"), all);
        assertTrue(all.contains("sesionId"), all);
        assertTrue(all.contains("timestamp") || all.contains("\"id\""), all);
    }

    /** @return {@code count} seed calls whose input is {@code content} */
    private static List<CallRecord> callsWithInput(int count, String content) {
        List<CallRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(SampleRecords.seedSuccess().messages(List.of(Map.of("role", "user", "content", content))).build());
        }
        return records;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
