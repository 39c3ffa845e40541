package dev.llmhub.plugin.langfuse;

import static dev.llmhub.plugin.langfuse.OtlpSpans.attributes;
import static dev.llmhub.plugin.langfuse.OtlpSpans.json;
import static dev.llmhub.plugin.langfuse.OtlpSpans.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.api.Usage;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTel mode against the stand-in: every attribute of Langfuse's mapping table, and every answer. */
class LangfuseOtelTest {
    private static LangfuseStandIn standIn;

    @BeforeAll
    static void startStandIn() {
        standIn = LangfuseStandIn.start();
    }

    @AfterAll
    static void stopStandIn() {
        standIn.close();
    }

    @BeforeEach
    void reset() {
        standIn.reset();
    }

    private static ExportResult export(TestPluginContext context, CallRecord... records) {
        try (Destination d = new LangfuseDestinationFactory().create(context)) {
            return d.export(List.of(records));
        }
    }

    private static Span exportOne(CallRecord record) {
        ExportResult result = export(StandInContext.of(standIn, "otel"), record);
        assertEquals(ExportResult.success(), result);
        assertEquals(List.of(), standIn.violations());
        assertEquals(1, standIn.spans().size());
        return standIn.spans().get(0);
    }

    @Test
    void seedCallBecomesOneGenerationWithEveryMappedAttribute() {
        CallRecord r = SampleRecords.seedSuccess().build();
        Span span = exportOne(r);

        LangfuseStandIn.Received req = standIn.received().get(0);
        assertEquals("/api/public/otel/v1/traces", req.path());
        assertEquals("application/x-protobuf", req.header("Content-Type"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString(
                (LangfuseStandIn.PUBLIC_KEY + ":" + LangfuseStandIn.SECRET_KEY).getBytes(StandardCharsets.UTF_8)),
                req.header("Authorization"));

        // One root span: Langfuse makes it the trace and one generation.
        assertEquals(r.traceId(), OtlpSpans.traceId(span));
        assertEquals(LangfuseIds.observationId(r.id()), OtlpSpans.spanId(span));
        assertTrue(span.getParentSpanId().isEmpty());
        assertEquals("chat gpt-3.5-turbo", span.getName());
        assertEquals(r.startTime(), toInstant(span.getStartTimeUnixNano()));
        assertEquals(r.endTime(), toInstant(span.getEndTimeUnixNano()));

        assertEquals("chat", string(span, "gen_ai.operation.name"));
        assertEquals("generation", string(span, "langfuse.observation.type"));
        assertEquals("gpt-3.5-turbo", string(span, "gen_ai.request.model"));
        assertEquals("gpt-3.5-turbo-0613", string(span, "gen_ai.response.model"));
        assertEquals(0.2, json(span, "langfuse.observation.model.parameters").get("temperature").asDouble());
        assertEquals(0.2, attributes(span).get("gen_ai.request.temperature").getDoubleValue());
        JsonNode usage = json(span, "langfuse.observation.usage_details");
        assertEquals(11, usage.get("input").asLong());
        assertEquals(10, usage.get("output").asLong());
        assertEquals(21, usage.get("total").asLong());
        assertEquals(11, attributes(span).get("gen_ai.usage.input_tokens").getIntValue());
        assertEquals(10, attributes(span).get("gen_ai.usage.output_tokens").getIntValue());
        assertEquals(21, attributes(span).get("gen_ai.usage.total_tokens").getIntValue());
        JsonNode cost = json(span, "langfuse.observation.cost_details");
        assertEquals(1.65e-05, cost.get("input").asDouble());
        assertEquals(2.0e-05, cost.get("output").asDouble());
        assertEquals(3.65e-05, cost.get("total").asDouble());
        assertEquals(3.65e-05, attributes(span).get("gen_ai.usage.cost").getDoubleValue());

        assertEquals("greeting", string(span, "langfuse.trace.name"));
        assertEquals("ishaan-app", string(span, "langfuse.user.id"));
        assertEquals("session-42", string(span, "langfuse.session.id"));
        assertEquals(List.of("prod", "checkout"), OtlpSpans.strings(span, "langfuse.trace.tags"));
        assertEquals("rel-2026.11", string(span, "langfuse.release"));
        assertEquals("staging", string(span, "langfuse.environment"));

        JsonNode expectedInput = OtlpSpans.tree(r.messages());
        JsonNode expectedOutput = OtlpSpans.tree(r.response().orElseThrow().choices().get(0).get("message"));
        assertEquals(expectedInput, json(span, "langfuse.observation.input"));
        assertEquals(expectedOutput, json(span, "langfuse.observation.output"));
        assertEquals(expectedInput, json(span, "langfuse.trace.input"));
        assertEquals(expectedOutput, json(span, "langfuse.trace.output"));

        JsonNode metadata = json(span, "langfuse.observation.metadata");
        assertEquals(r.id(), metadata.get("call_id").asText());
        assertEquals("openai", metadata.get("provider").asText());
        assertEquals("master", metadata.get("api_key_alias").asText());

        // A success carries no level (DEFAULT) and no completion start (not a stream).
        assertFalse(attributes(span).containsKey("langfuse.observation.level"));
        assertFalse(attributes(span).containsKey("langfuse.observation.completion_start_time"));
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, span.getStatus().getCode());
    }

    @Test
    void failedCallIsAnErrorGenerationWithItsStatusMessage() {
        CallRecord r = SampleRecords.rateLimitedFailure().build();
        Span span = exportOne(r);
        assertEquals("ERROR", string(span, "langfuse.observation.level"));
        String message = string(span, "langfuse.observation.status_message");
        assertTrue(message.contains("rate_limit_error") && message.contains("upstream rate limit reached"), message);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
        assertEquals(message, span.getStatus().getMessage());
        assertFalse(attributes(span).containsKey("langfuse.observation.output"));
        assertFalse(attributes(span).containsKey("langfuse.observation.cost_details"));
        assertEquals("rate_limit_error", json(span, "langfuse.observation.metadata").get("error_type").asText());
    }

    @Test
    void streamedCallCarriesItsCompletionStartTime() {
        CallRecord seed = SampleRecords.seedSuccess().build();
        Instant firstToken = seed.startTime().plusMillis(120);
        Span span = exportOne(seed.toBuilder().stream(true).firstTokenTime(firstToken).build());
        assertEquals(firstToken, Instant.parse(string(span, "langfuse.observation.completion_start_time")));
    }

    @Test
    void litellmMetadataKeysShapeTheTrace() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
        md.put("session_id", "sess-9");
        md.put("trace_name", "checkout-flow");
        md.put("trace_user_id", "user-77");
        md.put("generation_name", "summarise");
        md.put("generation_id", "b7ad6b7169203331");
        md.put("tags", List.of("a", "b"));
        md.put("trace_metadata", Map.of("team", "payments"));
        md.put("customer_tier", "gold");
        Span span = exportOne(SampleRecords.seedSuccess().metadata(md).build());

        assertEquals("0af7651916cd43dd8448eb211c80319c", OtlpSpans.traceId(span));
        assertEquals("b7ad6b7169203331", OtlpSpans.spanId(span));
        assertEquals("summarise", span.getName());
        assertEquals("checkout-flow", string(span, "langfuse.trace.name"));
        assertEquals("user-77", string(span, "langfuse.user.id"));
        assertEquals("sess-9", string(span, "langfuse.session.id"));
        assertEquals(List.of("a", "b"), OtlpSpans.strings(span, "langfuse.trace.tags"));
        assertEquals("payments", json(span, "langfuse.trace.metadata").get("team").asText());
        JsonNode metadata = json(span, "langfuse.observation.metadata");
        assertEquals("gold", metadata.get("customer_tier").asText());
        assertFalse(metadata.has("trace_metadata"), "Langfuse keys are consumed, not repeated as metadata");
    }

    @Test
    void callerTraceIdsThatAreNotHexStayFindable() {
        String uuid = "6f1c0e9e-54b4-4c1a-9a53-2d3b1f1a7c11";
        Span byUuid = exportOne(SampleRecords.seedSuccess().metadata(Map.of("trace_id", uuid)).build());
        assertEquals(uuid.replace("-", ""), OtlpSpans.traceId(byUuid));

        standIn.reset();
        Span byName = exportOne(SampleRecords.seedSuccess().metadata(Map.of("trace_id", "order-1234")).build());
        assertEquals(LangfuseIds.otelTraceId("order-1234"), OtlpSpans.traceId(byName));
        assertEquals("order-1234", json(byName, "langfuse.observation.metadata").get("trace_id").asText());

        standIn.reset();
        Span byGenerationUuid = exportOne(SampleRecords.seedSuccess().metadata(Map.of("generation_id", uuid)).build());
        assertEquals(LangfuseIds.otelSpanId(uuid), OtlpSpans.spanId(byGenerationUuid));
        assertEquals(uuid, json(byGenerationUuid, "langfuse.observation.metadata").get("generation_id").asText());
    }

    @Test
    void existingTraceIdAddsTheGenerationWithoutRewritingTheTrace() {
        String existing = "4bf92f3577b34da6a3ce929d0e0e4736";
        Span span = exportOne(SampleRecords.seedSuccess()
                .metadata(Map.of("existing_trace_id", existing, "trace_name", "ignored", "session_id", "s")).build());
        assertEquals(existing, OtlpSpans.traceId(span));
        Map<String, AnyValue> a = attributes(span);
        for (String traceKey : List.of("langfuse.trace.name", "langfuse.user.id", "langfuse.session.id",
                "langfuse.trace.tags", "langfuse.trace.input", "langfuse.trace.output")) {
            assertFalse(a.containsKey(traceKey), traceKey);
        }
        assertTrue(a.containsKey("langfuse.observation.input"));
    }

    @Test
    void callerParentSpanIsKeptOnTheRecordsOwnTrace() {
        Span span = exportOne(SampleRecords.seedSuccess().parentSpanId("00f067aa0ba902b7").build());
        assertEquals("00f067aa0ba902b7", java.util.HexFormat.of().formatHex(span.getParentSpanId().toByteArray()));
    }

    @Test
    void embeddingsAreEmbeddingObservationsWithInputTokensOnly() {
        CallRecord r = SampleRecords.seedSuccess().callType(CallType.EMBEDDING).response(null).responseModel(null)
                .model("text-embedding-3-small").messages(List.of(Map.of("role", "user", "content", "hello")))
                .usage(new Usage(2, 0, 2, 0, 0, Usage.Source.PROVIDER)).build();
        Span span = exportOne(r);
        assertEquals("embeddings", string(span, "gen_ai.operation.name"));
        assertEquals("embedding", string(span, "langfuse.observation.type"));
        assertEquals("\"hello\"", string(span, "langfuse.observation.input"));
        assertFalse(attributes(span).containsKey("gen_ai.usage.output_tokens"));
        assertFalse(attributes(span).containsKey("langfuse.observation.output"));
    }

    @Test
    void cachedAndReasoningTokensFollowLangfusesNormalisation() {
        Span span = exportOne(SampleRecords.seedSuccess().usage(new Usage(100, 50, 150, 40, 20, Usage.Source.PROVIDER)).build());
        JsonNode usage = json(span, "langfuse.observation.usage_details");
        assertEquals(60, usage.get("input").asLong());
        assertEquals(40, usage.get("input_cached_tokens").asLong());
        assertEquals(30, usage.get("output").asLong());
        assertEquals(20, usage.get("output_reasoning_tokens").asLong());
        assertEquals(40, attributes(span).get("gen_ai.usage.cache_read.input_tokens").getIntValue());
        assertEquals(20, attributes(span).get("gen_ai.usage.reasoning.output_tokens").getIntValue());
    }

    @Test
    void messageLoggingOffSendsNoInputOrOutput() {
        TestPluginContext context = TestPluginContext.of("langfuse",
                Map.of("host", standIn.url(), "message_logging", false, "public_key", LangfuseStandIn.PUBLIC_KEY,
                        "secret_key", LangfuseStandIn.SECRET_KEY), Map.of());
        assertEquals(ExportResult.success(), export(context, SampleRecords.seedSuccess().build()));
        Map<String, AnyValue> a = attributes(standIn.spans().get(0));
        for (String key : List.of("langfuse.observation.input", "langfuse.observation.output",
                "langfuse.trace.input", "langfuse.trace.output")) {
            assertFalse(a.containsKey(key), key);
        }
        assertFalse(standIn.received().get(0).bodyText().contains("good morning good sir"));
    }

    @Test
    void retriedBatchKeepsEveryIdSoLangfuseUpdatesInsteadOfDuplicating() {
        CallRecord a = SampleRecords.seedSuccess().build();
        CallRecord b = SampleRecords.rateLimitedFailure().build();
        TestPluginContext context = StandInContext.of(standIn, "otel");
        assertEquals(ExportResult.success(), export(context, a, b));
        assertEquals(ExportResult.success(), export(context, a, b));
        List<Span> spans = standIn.spans();
        assertEquals(4, spans.size());
        assertEquals(OtlpSpans.spanId(spans.get(0)), OtlpSpans.spanId(spans.get(2)));
        assertEquals(OtlpSpans.traceId(spans.get(0)), OtlpSpans.traceId(spans.get(2)));
        assertEquals(OtlpSpans.spanId(spans.get(1)), OtlpSpans.spanId(spans.get(3)));
        assertNotEquals(OtlpSpans.spanId(spans.get(0)), OtlpSpans.spanId(spans.get(1)));
        assertEquals(standIn.received().get(0).bodyText(), standIn.received().get(1).bodyText());
    }

    @Test
    void wrongSecretIsPermanentAndLoggedOnceWithTheHostNeverTheKey() {
        String wrongSecret = "sk-lf-WRONG-secret-55e1";
        TestPluginContext context = TestPluginContext.of("langfuse", Map.of("host", standIn.url()),
                Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", wrongSecret));
        try (Destination d = new LangfuseDestinationFactory().create(context)) {
            ExportResult first = d.export(List.of(SampleRecords.seedSuccess().build()));
            ExportResult second = d.export(List.of(SampleRecords.seedSuccess().build()));
            assertInstanceOf(ExportResult.Permanent.class, first);
            assertInstanceOf(ExportResult.Permanent.class, second);
            assertTrue(((ExportResult.Permanent) first).reason().contains(standIn.url()));
        }
        List<String> errors = context.logger().lines().stream().filter(l -> l.startsWith("ERROR")).toList();
        assertEquals(1, errors.size(), context.logger().lines().toString());
        assertTrue(errors.get(0).contains(standIn.url()) && errors.get(0).contains("401"), errors.get(0));
        assertFalse(String.join("\n", context.logger().lines()).contains(wrongSecret));
        assertFalse(String.join("\n", context.logger().lines()).contains(LangfuseStandIn.PUBLIC_KEY));
    }

    @Test
    void rateLimitIsRetryableAfterTheServersRetryAfter() {
        standIn.answerNext(429, "7");
        ExportResult result = export(StandInContext.of(standIn, "otel"), SampleRecords.seedSuccess().build());
        ExportResult.Retryable retryable = assertInstanceOf(ExportResult.Retryable.class, result);
        assertEquals(Duration.ofSeconds(7), retryable.after());
    }

    @Test
    void serverErrorsAreRetryableAndBadRequestsPermanent() {
        standIn.answerNext(503, null);
        assertInstanceOf(ExportResult.Retryable.class,
                export(StandInContext.of(standIn, "otel"), SampleRecords.seedSuccess().build()));
        standIn.answerNext(400, null);
        assertInstanceOf(ExportResult.Permanent.class,
                export(StandInContext.of(standIn, "otel"), SampleRecords.seedSuccess().build()));
    }

    @Test
    void unreachableLangfuseIsRetryable() {
        LangfuseStandIn gone = LangfuseStandIn.start();
        String url = gone.url();
        gone.close();
        TestPluginContext context = TestPluginContext.of("langfuse", Map.of("host", url, "timeout", "2s"),
                Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", LangfuseStandIn.SECRET_KEY));
        ExportResult.Retryable r = assertInstanceOf(ExportResult.Retryable.class,
                export(context, SampleRecords.seedSuccess().build()));
        assertTrue(r.reason().contains(url), r.reason());
    }

    @Test
    void noSecretLeavesTheProxyExceptInTheBasicAuthHeader() {
        SecretChecks.assertNoSecretSent(standIn, StandInContext.of(standIn, "otel"));
    }

    private static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
