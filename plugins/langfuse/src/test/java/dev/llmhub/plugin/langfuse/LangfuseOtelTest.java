package dev.llmhub.plugin.langfuse;

import static dev.llmhub.plugin.langfuse.OtlpSpans.attributes;
import static dev.llmhub.plugin.langfuse.OtlpSpans.json;
import static dev.llmhub.plugin.langfuse.OtlpSpans.string;
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
import dev.llmhub.api.Usage;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.langfuse.LangfuseServerModel.Observation;
import dev.llmhub.plugin.langfuse.LangfuseServerModel.TraceWrite;
import dev.llmhub.plugin.langfuse.LangfuseServerModel.TraceWriteKind;
import dev.llmhub.plugin.testkit.TestPluginContext;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OTel mode against the stand-in, which applies Langfuse's server rules: what each span writes on its
 * trace, the headers, the ids, the metadata and every answer.
 */
class LangfuseOtelTest {
    /** The only attributes llmhub sends: each is read by Langfuse, none repeats another. */
    private static final Set<String> LANGFUSE_ATTRIBUTES = Set.of("langfuse.observation.type",
            "langfuse.observation.model.name", "langfuse.observation.model.parameters", "langfuse.observation.usage_details",
            "langfuse.observation.cost_details", "langfuse.observation.completion_start_time", "langfuse.observation.input",
            "langfuse.observation.output", "langfuse.observation.metadata", "langfuse.observation.prompt.name",
            "langfuse.observation.prompt.version", "langfuse.version", "langfuse.release", "langfuse.environment",
            "langfuse.trace.name", "user.id", "session.id", "langfuse.trace.tags", "langfuse.trace.metadata");

    @RegisterExtension
    static final LangfuseStandIn standIn = LangfuseStandIn.forTestClass();

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

    private static Observation observation() {
        assertEquals(1, standIn.server().observations().size());
        return standIn.server().observations().get(0);
    }

    @Test
    void seedCallBecomesTheRootGenerationOfItsTraceWithEveryMappedAttribute() {
        CallRecord r = SampleRecords.seedSuccess().build();
        Span span = exportOne(r);

        LangfuseStandIn.Received req = standIn.received().get(0);
        assertEquals("/api/public/otel/v1/traces", req.path());
        assertEquals("application/x-protobuf", req.header("Content-Type"));
        assertEquals("gzip", req.header("Content-Encoding"));
        assertTrue(req.wireBytes() < req.body().length, "compressed: " + req.wireBytes() + " of " + req.body().length);
        assertEquals("4", req.header("x-langfuse-ingestion-version"));
        assertNull(req.header("x-langfuse-sdk-name"), "no SDK claim");
        assertNull(req.header("x-langfuse-sdk-version"));
        assertTrue(req.header("User-Agent").startsWith("llmhub/"), req.header("User-Agent"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString(
                (LangfuseStandIn.PUBLIC_KEY + ":" + LangfuseStandIn.SECRET_KEY).getBytes(StandardCharsets.UTF_8)),
                req.header("Authorization"));

        // One root span: Langfuse makes it the trace's root and one generation.
        assertEquals(r.traceId(), OtlpSpans.traceId(span));
        assertEquals(LangfuseIds.observationId(r.id()), OtlpSpans.spanId(span));
        assertTrue(span.getParentSpanId().isEmpty());
        assertEquals("chat gpt-3.5-turbo", span.getName());
        assertEquals(r.startTime(), toInstant(span.getStartTimeUnixNano()));
        assertEquals(r.endTime(), toInstant(span.getEndTimeUnixNano()));

        assertTrue(LANGFUSE_ATTRIBUTES.containsAll(attributes(span).keySet()), "only Langfuse's own attributes: "
                + attributes(span).keySet());
        assertEquals("generation", string(span, "langfuse.observation.type"));
        assertEquals("gpt-3.5-turbo-0613", string(span, "langfuse.observation.model.name"));
        assertEquals(0.2, json(span, "langfuse.observation.model.parameters").get("temperature").asDouble());
        JsonNode usage = json(span, "langfuse.observation.usage_details");
        assertEquals(11, usage.get("input").asLong());
        assertEquals(10, usage.get("output").asLong());
        assertEquals(21, usage.get("total").asLong());
        JsonNode cost = json(span, "langfuse.observation.cost_details");
        assertEquals(1.65e-05, cost.get("input").asDouble());
        assertEquals(2.0e-05, cost.get("output").asDouble());
        assertEquals(3.65e-05, cost.get("total").asDouble());

        assertEquals("greeting", string(span, "langfuse.trace.name"));
        assertEquals("ishaan-app", string(span, "user.id"));
        assertEquals("session-42", string(span, "session.id"));
        assertEquals(List.of("prod", "checkout"), OtlpSpans.strings(span, "langfuse.trace.tags"));
        assertEquals("rel-2026.11", string(span, "langfuse.release"));
        assertEquals("staging", string(span, "langfuse.environment"));

        JsonNode expectedInput = OtlpSpans.tree(r.messages());
        JsonNode expectedOutput = OtlpSpans.tree(r.response().orElseThrow().choices().get(0).get("message"));
        assertEquals(expectedInput, json(span, "langfuse.observation.input"));
        assertEquals(expectedOutput, json(span, "langfuse.observation.output"));
        assertFalse(attributes(span).containsKey("langfuse.trace.input"), "a root span's input is its trace's: not sent twice");

        JsonNode metadata = json(span, "langfuse.observation.metadata");
        assertEquals(r.id(), metadata.get("call_id").asText());
        assertEquals("openai", metadata.get("provider").asText());
        assertEquals("master", metadata.get("api_key_alias").asText());

        // What Langfuse stores: the trace takes name, input and output from its root span.
        List<TraceWrite> writes = standIn.server().traceWrites(r.traceId());
        assertEquals(1, writes.size());
        assertEquals(TraceWriteKind.ROOT, writes.get(0).kind());
        assertEquals("greeting", writes.get(0).fields().get("name"));
        assertEquals(expectedInput, OtlpSpans.tree(readJson(writes.get(0).fields().get("input"))));
        assertEquals("rel-2026.11", writes.get(0).fields().get("release"));
        Observation o = observation();
        assertEquals("GENERATION", o.type());
        assertEquals("staging", o.environment());
        // metadata.attributes holds Langfuse's own attribute names only: no gen_ai.* copies.
        o.attributesInMetadata().fieldNames().forEachRemaining(k ->
                assertTrue(LANGFUSE_ATTRIBUTES.contains(k), "metadata.attributes." + k));

        // A success has no status, so Langfuse files it at level DEFAULT; not a stream: no completion start.
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, span.getStatus().getCode());
        assertFalse(attributes(span).containsKey("langfuse.observation.completion_start_time"));
    }

    @Test
    void failedCallIsAnErrorByItsSpanStatus() {
        CallRecord r = SampleRecords.rateLimitedFailure().build();
        Span span = exportOne(r);
        // Langfuse: status ERROR is level ERROR, the status message is the observation's.
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
        String message = span.getStatus().getMessage();
        assertTrue(message.contains("rate_limit_error") && message.contains("upstream rate limit reached"), message);
        assertFalse(attributes(span).containsKey("langfuse.observation.level"));
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
        Map<String, Object> md = LitellmMetadata.traceShaping("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
        md.put("customer_tier", "gold");
        Span span = exportOne(SampleRecords.seedSuccess().metadata(md).build());

        assertEquals("0af7651916cd43dd8448eb211c80319c", OtlpSpans.traceId(span));
        assertEquals("b7ad6b7169203331", OtlpSpans.spanId(span));
        assertEquals("summarise", span.getName());
        assertEquals("checkout-flow", string(span, "langfuse.trace.name"));
        assertEquals("user-77", string(span, "user.id"));
        assertEquals("sess-9", string(span, "session.id"));
        assertEquals("v7", string(span, "langfuse.version"));
        assertEquals(List.of("a", "b"), OtlpSpans.strings(span, "langfuse.trace.tags"));
        assertEquals("payments", json(span, "langfuse.trace.metadata").get("team").asText());
        JsonNode metadata = json(span, "langfuse.observation.metadata");
        assertEquals("gold", metadata.get("customer_tier").asText());
        for (String consumed : List.of("trace_metadata", "trace_id", "generation_id", "session_id", "tags")) {
            assertFalse(metadata.has(consumed), "Langfuse keys are consumed, not repeated as metadata: " + consumed);
        }
    }

    @Test
    void callerIdsAreKeptWhereOtlpAllowsAndOtherwiseConvertedLikeLangfusesSdkWithTheOriginalInTheMetadata() {
        String hex = "4bf92f3577b34da6a3ce929d0e0e4736";
        Span kept = exportOne(SampleRecords.seedSuccess().metadata(Map.of("trace_id", hex, "generation_id", "00f067aa0ba902b7")).build());
        assertEquals(hex, OtlpSpans.traceId(kept));
        assertEquals("00f067aa0ba902b7", OtlpSpans.spanId(kept));
        JsonNode keptMetadata = json(kept, "langfuse.observation.metadata");
        assertFalse(keptMetadata.has("trace_id") || keptMetadata.has("generation_id"), "nothing converted, nothing to keep");

        standIn.reset();
        String uuid = "6F1C0E9E-54B4-4C1A-9A53-2D3B1F1A7C11";
        Span byUuid = exportOne(SampleRecords.seedSuccess().metadata(Map.of("trace_id", uuid)).build());
        assertEquals("6f1c0e9e54b44c1a9a532d3b1f1a7c11", OtlpSpans.traceId(byUuid), "a UUID keeps its digits");
        assertEquals(uuid, json(byUuid, "langfuse.observation.metadata").get("trace_id").asText());

        standIn.reset();
        Span byName = exportOne(SampleRecords.seedSuccess().metadata(Map.of("trace_id", "order-1234",
                "generation_id", "gen-abc")).build());
        // Langfuse's Python SDK: create_trace_id(seed=id) is the first 16 bytes of SHA-256(id).
        assertEquals(sha256Hex("order-1234", 16), OtlpSpans.traceId(byName));
        assertEquals(sha256Hex("gen-abc", 8), OtlpSpans.spanId(byName));
        JsonNode metadata = json(byName, "langfuse.observation.metadata");
        assertEquals("order-1234", metadata.get("trace_id").asText());
        assertEquals("gen-abc", metadata.get("generation_id").asText());
    }

    @Test
    void existingTraceIdAddsTheGenerationAsANonRootSpanThatLeavesTheTraceAlone() {
        String existing = "4bf92f3577b34da6a3ce929d0e0e4736";
        CallRecord r = SampleRecords.seedSuccess()
                .metadata(Map.of("existing_trace_id", existing, "trace_name", "ignored", "session_id", "s",
                        "trace_metadata", Map.of("team", "x"), "tags", List.of("t")))
                .build();
        Span span = exportOne(r);
        assertEquals(existing, OtlpSpans.traceId(span));
        assertFalse(span.getParentSpanId().isEmpty(), "a parent: Langfuse makes a span without one the trace's root");
        Map<String, AnyValue> a = attributes(span);
        for (String traceKey : List.of("langfuse.trace.name", "user.id", "session.id", "langfuse.trace.tags",
                "langfuse.trace.metadata", "langfuse.trace.input", "langfuse.trace.output", "langfuse.release")) {
            assertFalse(a.containsKey(traceKey), traceKey);
        }
        assertTrue(a.containsKey("langfuse.observation.input"));

        // What Langfuse does with it: a shallow trace (id, timestamp, environment) at most, never a name or content.
        List<TraceWrite> writes = standIn.server().traceWrites(existing);
        assertEquals(List.of(TraceWriteKind.SHALLOW), writes.stream().map(TraceWrite::kind).toList());
        assertEquals(Set.of("environment"), writes.get(0).fields().keySet());

        // With the caller's traceparent in that same trace, the caller's span is the parent.
        standIn.reset();
        Span nested = exportOne(SampleRecords.seedSuccess().traceId(existing).parentSpanId("00f067aa0ba902b7")
                .metadata(Map.of("existing_trace_id", existing)).build());
        assertEquals("00f067aa0ba902b7", HexFormat.of().formatHex(nested.getParentSpanId().toByteArray()));
    }

    @Test
    void traceparentMakesTheGenerationAChildOfTheCallersSpanThatRenamesNothing() {
        CallRecord r = SampleRecords.seedSuccess().parentSpanId("00f067aa0ba902b7")
                .metadata(Map.of("session_id", "session-42")).build();
        Span span = exportOne(r);
        assertEquals(r.traceId(), OtlpSpans.traceId(span));
        assertEquals("00f067aa0ba902b7", HexFormat.of().formatHex(span.getParentSpanId().toByteArray()));
        Map<String, AnyValue> a = attributes(span);
        for (String ownersKey : List.of("langfuse.trace.name", "langfuse.trace.input", "langfuse.trace.output", "langfuse.release")) {
            assertFalse(a.containsKey(ownersKey), ownersKey);
        }
        // What the request asked for explicitly still reaches the trace, as Langfuse applies it from any span.
        assertEquals("session-42", string(span, "session.id"));
        assertEquals("ishaan-app", string(span, "user.id"));
        List<TraceWrite> writes = standIn.server().traceWrites(r.traceId());
        assertEquals(1, writes.size());
        assertEquals(TraceWriteKind.UPDATE, writes.get(0).kind());
        assertFalse(writes.get(0).fields().containsKey("name"));
        assertFalse(writes.get(0).fields().containsKey("input"));
        assertEquals("session-42", writes.get(0).fields().get("sessionId"));
        assertEquals("00f067aa0ba902b7", observation().parentId().orElseThrow());

        // An explicit trace name is the caller's wish.
        standIn.reset();
        Span named = exportOne(r.toBuilder().id("call-" + UUID.randomUUID()).metadata(Map.of("trace_name", "checkout")).build());
        assertEquals("checkout", string(named, "langfuse.trace.name"));
    }

    @Test
    void metadataPromptLinksTheGenerationToItsLangfusePrompt() {
        Span span = exportOne(SampleRecords.seedSuccess().metadata(Map.of("prompt",
                Map.of("name", "support-answer", "version", 3, "config", Map.of("x", 1)))).build());
        assertEquals("support-answer", string(span, "langfuse.observation.prompt.name"));
        assertEquals(3, attributes(span).get("langfuse.observation.prompt.version").getIntValue());
        assertFalse(json(span, "langfuse.observation.metadata").has("prompt"), "linked, not repeated");
        assertEquals("support-answer", observation().promptName().orElseThrow());
        assertEquals(3, observation().promptVersion().orElseThrow());

        // A version as text is fine; a prompt without a usable version is kept as metadata, not linked.
        standIn.reset();
        Span text = exportOne(SampleRecords.seedSuccess().metadata(Map.of("prompt", Map.of("name", "p", "version", "12"))).build());
        assertEquals(12, attributes(text).get("langfuse.observation.prompt.version").getIntValue());
        standIn.reset();
        Span unusable = exportOne(SampleRecords.seedSuccess().metadata(Map.of("prompt", Map.of("name", "p", "version", "latest"))).build());
        assertFalse(attributes(unusable).containsKey("langfuse.observation.prompt.name"));
        assertEquals("latest", json(unusable, "langfuse.observation.metadata").get("prompt").get("version").asText());

        // Langfuse links prompts to generations only: an embedding keeps it as metadata.
        standIn.reset();
        Span embedding = exportOne(embeddingRecord().metadata(Map.of("prompt", Map.of("name", "p", "version", 1))).build());
        assertFalse(attributes(embedding).containsKey("langfuse.observation.prompt.name"));
        assertTrue(json(embedding, "langfuse.observation.metadata").has("prompt"));
    }

    @Test
    void metadataKeysNeverCollideWhereLangfuseMergesThem() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("provider", "caller's provider");
        md.put("scope", "billing:read");
        md.put("customer_tier", "silver");
        md.put("team", "payments");
        md.put("trace_metadata", Map.of("customer_tier", "gold", "team", "payments", "attributes", "caller's"));
        Span span = exportOne(SampleRecords.seedSuccess().metadata(md).build());
        JsonNode generation = json(span, "langfuse.observation.metadata");
        JsonNode trace = json(span, "langfuse.trace.metadata");
        assertEquals("openai", generation.get("provider").asText(), "llmhub's own key");
        assertEquals("caller's provider", generation.get("request_provider").asText());
        assertEquals("billing:read", generation.get("request_scope").asText());
        assertFalse(generation.has("scope"), "Langfuse's own key");
        assertEquals("silver", generation.get("generation_customer_tier").asText());
        assertEquals("gold", trace.get("customer_tier").asText());
        assertEquals("payments", generation.get("team").asText(), "same value on both: nothing to keep apart");
        assertEquals("caller's", trace.get("request_attributes").asText());
        // The stand-in reports any key whose value Langfuse would lose.
        assertEquals(List.of(), standIn.violations());
        JsonNode stored = observation().metadata();
        assertEquals("silver", stored.get("generation_customer_tier").asText());
        assertEquals("gold", stored.get("customer_tier").asText());
    }

    @Test
    void environmentIsSentAsLangfuseStoresIt() {
        TestPluginContext context = StandInContext.of(standIn, "otel", Map.of("environment", "Langfuse-Production"));
        assertEquals(ExportResult.success(), export(context, SampleRecords.seedSuccess().build()));
        assertEquals("production", string(standIn.spans().get(0), "langfuse.environment"));
        assertEquals(List.of(), standIn.violations());
        assertTrue(context.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("'production'")),
                context.logger().lines().toString());
    }

    @Test
    void compressionNoneSendsThePlainBody() {
        assertEquals(ExportResult.success(), export(StandInContext.of(standIn, "otel", Map.of("compression", "none")),
                SampleRecords.seedSuccess().build()));
        LangfuseStandIn.Received req = standIn.received().get(0);
        assertNull(req.header("Content-Encoding"));
        assertEquals(req.wireBytes(), req.body().length);
        assertEquals("4", req.header("x-langfuse-ingestion-version"));
    }

    @Test
    void aBatchRefusedAsTooLargeIsSplitUntilEveryRecordIsDelivered() {
        // Incompressible content, so the compressed body is over the limit too.
        List<CallRecord> records = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            records.add(SampleRecords.seedSuccess().messages(List.of(Map.of("role", "user", "content", noise(3_000)))).build());
        }
        standIn.limitBodyBytes(10_000);
        TestPluginContext context = StandInContext.of(standIn, "otel");
        assertEquals(ExportResult.success(), export(context, records.toArray(CallRecord[]::new)));
        assertEquals(List.of(), standIn.violations());
        List<LangfuseStandIn.Received> refused = standIn.refusedAsTooLarge();
        assertTrue(refused.stream().anyMatch(r -> r.items() == 8), "the whole batch was refused first: " + refused);
        List<String> delivered = standIn.spans().stream().map(OtlpSpans::spanId).toList();
        assertEquals(records.stream().map(r -> LangfuseIds.observationId(r.id())).sorted().toList(),
                delivered.stream().sorted().toList(), "every record exactly once");
        assertTrue(context.logger().lines().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("413")
                && l.contains("max_request_bytes")), context.logger().lines().toString());
    }

    @Test
    void aCallRefusedAsTooLargeAloneIsSentWithoutItsContentAndOnlyThenFails() {
        standIn.limitBodyBytes(2_000);
        CallRecord big = SampleRecords.seedSuccess().messages(List.of(Map.of("role", "user", "content", noise(5_000)))).build();
        assertEquals(ExportResult.success(), export(StandInContext.of(standIn, "otel"), big));
        Span span = standIn.spans().get(0);
        assertFalse(attributes(span).containsKey("langfuse.observation.input"));
        assertTrue(json(span, "langfuse.observation.metadata").get("llmhub_note").asText().contains("413"));

        standIn.reset();
        standIn.limitBodyBytes(100);
        ExportResult.Permanent refused = assertInstanceOf(ExportResult.Permanent.class,
                export(StandInContext.of(standIn, "otel"), big));
        assertTrue(refused.reason().contains("413") && refused.reason().contains("even without"), refused.reason());
    }

    @Test
    void embeddingsAreEmbeddingObservations() {
        Span span = exportOne(embeddingRecord().build());
        assertEquals("embedding", string(span, "langfuse.observation.type"));
        assertEquals("\"hello\"", string(span, "langfuse.observation.input"));
        assertEquals(2, json(span, "langfuse.observation.usage_details").get("input").asLong());
        assertFalse(attributes(span).containsKey("langfuse.observation.output"));
        assertEquals("EMBEDDING", observation().type());
    }

    @Test
    void cachedAndReasoningTokensFollowLangfusesNormalisation() {
        Span span = exportOne(SampleRecords.seedSuccess().usage(new Usage(100, 50, 150, 40, 20, Usage.Source.PROVIDER)).build());
        JsonNode usage = json(span, "langfuse.observation.usage_details");
        assertEquals(60, usage.get("input").asLong());
        assertEquals(40, usage.get("input_cached_tokens").asLong());
        assertEquals(30, usage.get("output").asLong());
        assertEquals(20, usage.get("output_reasoning_tokens").asLong());
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

    private static CallRecord.Builder embeddingRecord() {
        return SampleRecords.seedSuccess().callType(CallType.EMBEDDING).response(null).responseModel(null)
                .model("text-embedding-3-small").messages(List.of(Map.of("role", "user", "content", "hello")))
                .usage(new Usage(2, 0, 2, 0, 0, Usage.Source.PROVIDER));
    }

    /** @return text that hardly compresses, different on every call */
    static String noise(int chars) {
        StringBuilder b = new StringBuilder(chars);
        java.util.Random random = java.util.concurrent.ThreadLocalRandom.current();
        while (b.length() < chars) {
            b.append(Long.toString(random.nextLong(), 36));
        }
        return b.substring(0, chars);
    }

    private static String sha256Hex(String text, int bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Object readJson(Object text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(String.valueOf(text));
        } catch (Exception e) {
            throw new AssertionError(text + " is not JSON", e);
        }
    }

    private static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
