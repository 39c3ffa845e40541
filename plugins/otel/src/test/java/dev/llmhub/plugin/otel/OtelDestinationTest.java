package dev.llmhub.plugin.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.PluginZipCheck;
import dev.llmhub.plugin.testkit.TestPluginContext;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The otel destination against a real OTLP/gRPC receiver on loopback. */
class OtelDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OtlpReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new OtlpReceiver().start();
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        receiver.close();
    }

    @BeforeEach
    void clear() {
        receiver.clear();
    }

    private static Destination destination(Map<String, Object> settings) {
        return destination(TestPluginContext.of("otel", settings, Map.of("OTEL_ENDPOINT", receiver.endpoint())));
    }

    private static Destination destination(TestPluginContext context) {
        return new OtelDestinationFactory().create(context);
    }

    /** Exports {@code r} through a destination with these settings, which must succeed; closing it flushes. */
    private static void exportOk(Map<String, Object> settings, CallRecord r) {
        try (Destination d = destination(settings)) {
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
        }
    }

    private static CallRecord richSuccess() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0.2);
        params.put("top_p", 0.9);
        params.put("max_tokens", 256);
        params.put("stop", List.of("\n\n", "END"));
        params.put("seed", 7);
        params.put("n", 2);
        params.put("presence_penalty", 0.5);
        params.put("frequency_penalty", 0);
        params.put("response_format", Map.of("type", "json_object"));
        return SampleRecords.seedSuccess()
                .parentSpanId("b7ad6b7169203331")
                .traceId("0af7651916cd43dd8448eb211c80319c")
                .requestParams(params)
                .build();
    }

    private static Span only(List<Span> spans, String name) {
        List<Span> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, found.size(), "spans named " + name + " in " + spans.stream().map(Span::getName).toList());
        return found.get(0);
    }

    @Test
    void aCallBecomesAServerSpanContinuingTheCallersTraceAndAGenAiClientChild() {
        CallRecord r = richSuccess();
        exportOk(Map.of(), r);
        List<Span> spans = receiver.spans();
        assertEquals(3, spans.size());
        Span server = only(spans, "POST /chat/completions");
        Span client = only(spans, "chat gpt-3.5-turbo");
        Span attempt = only(spans, "POST");

        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, server.getKind());
        assertEquals(r.traceId(), Otlp.hex(server.getTraceId()));
        assertEquals(r.spanId(), Otlp.hex(server.getSpanId()));
        assertEquals("b7ad6b7169203331", Otlp.hex(server.getParentSpanId()), "continues the caller's traceparent");
        assertEquals(GenAiOperation.nanos(r.startTime()), server.getStartTimeUnixNano());
        assertEquals(GenAiOperation.nanos(r.endTime()), server.getEndTimeUnixNano());

        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, client.getKind());
        assertEquals(r.traceId(), Otlp.hex(client.getTraceId()));
        assertEquals(r.spanId(), Otlp.hex(client.getParentSpanId()));
        assertEquals(GenAiOperation.nanos(r.attempts().get(0).startTime()), client.getStartTimeUnixNano());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, client.getStatus().getCode());

        assertEquals("chat", Otlp.string(client, "gen_ai.operation.name"));
        assertEquals("openai", Otlp.string(client, "gen_ai.provider.name"));
        assertEquals("gpt-3.5-turbo", Otlp.string(client, "gen_ai.request.model"));
        assertEquals("gpt-3.5-turbo-0613", Otlp.string(client, "gen_ai.response.model"));
        assertEquals("chatcmpl-8S8avKJ1aVBg941y5xzGMSKrYCMvN", Otlp.string(client, "gen_ai.response.id"));
        assertEquals(List.of("stop"), Otlp.strings(client, "gen_ai.response.finish_reasons"));
        assertEquals(11, Otlp.integer(client, "gen_ai.usage.input_tokens"));
        assertEquals(10, Otlp.integer(client, "gen_ai.usage.output_tokens"));
        assertEquals(0.2, Otlp.dbl(client, "gen_ai.request.temperature"));
        assertEquals(0.9, Otlp.dbl(client, "gen_ai.request.top_p"));
        assertEquals(256, Otlp.integer(client, "gen_ai.request.max_tokens"));
        assertEquals(List.of("\n\n", "END"), Otlp.strings(client, "gen_ai.request.stop_sequences"));
        assertEquals(7, Otlp.integer(client, "gen_ai.request.seed"));
        assertEquals(2, Otlp.integer(client, "gen_ai.request.choice.count"));
        assertEquals(0.5, Otlp.dbl(client, "gen_ai.request.presence_penalty"));
        assertEquals(0.0, Otlp.dbl(client, "gen_ai.request.frequency_penalty"));
        assertEquals("json", Otlp.string(client, "gen_ai.output.type"));
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.request.stream"), "unset means not streamed");
        assertEquals("api.openai.com", Otlp.string(client, "server.address"));
        assertEquals(443, Otlp.integer(client, "server.port"));
        assertEquals("session-42", Otlp.string(client, "gen_ai.conversation.id"));
        assertEquals("ishaan-app", Otlp.string(client, "user.id"));
        assertEquals(r.id(), Otlp.string(client, "llmhub.call.id"));
        assertEquals(r.id(), Otlp.string(server, "llmhub.call.id"));
        assertEquals(3.65e-05, Otlp.dbl(client, "llmhub.cost.total"));
        assertEquals("USD", Otlp.string(client, "llmhub.cost.currency"));
        assertEquals(List.of("prod", "checkout"), Otlp.strings(client, "llmhub.metadata.tags"));
        assertEquals(List.of("prod", "checkout"), Otlp.strings(server, "llmhub.metadata.tags"));
        assertEquals("greeting", Otlp.string(server, "llmhub.metadata.trace_name"));
        assertFalse(Otlp.attributes(client).containsKey("error.type"));

        assertEquals("chat_completions", Otlp.string(client, "openai.api.type"));
        assertEquals("gpt-3.5-turbo", Otlp.string(client, "llmhub.model_group"));
        assertEquals("gpt-3.5-turbo-0", Otlp.string(client, "llmhub.deployment"));

        assertEquals("POST", Otlp.string(server, "http.request.method"));
        assertEquals("/chat/completions", Otlp.string(server, "url.path"));
        assertEquals("/chat/completions", Otlp.string(server, "http.route"));
        assertEquals("http", Otlp.string(server, "url.scheme"));
        assertEquals(200, Otlp.integer(server, "http.response.status_code"));
        assertEquals("127.0.0.1", Otlp.string(server, "client.address"));
        assertEquals("0.0.0.0", Otlp.string(server, "server.address"));
        assertEquals(8000, Otlp.integer(server, "server.port"));
        assertTrue(Otlp.attributes(server).keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")), server.toString());

        // The one try: an HTTP client span under the GenAI span, with no GenAI attribute.
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, attempt.getKind());
        assertEquals(client.getSpanId(), attempt.getParentSpanId());
        assertEquals("POST", Otlp.string(attempt, "http.request.method"));
        assertEquals("https://api.openai.com/v1/chat/completions", Otlp.string(attempt, "url.full"));
        assertEquals("api.openai.com", Otlp.string(attempt, "server.address"));
        assertEquals(443, Otlp.integer(attempt, "server.port"));
        assertEquals(200, Otlp.integer(attempt, "http.response.status_code"));
        assertFalse(Otlp.attributes(attempt).containsKey("http.request.resend_count"), "the first try is no resend");
        assertTrue(Otlp.attributes(attempt).keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")), attempt.toString());
    }

    @Test
    void aFailedCallIsAnErrorOnTheGenAiAndTrySpansAndA4xxOnTheServerSpan() {
        CallRecord r = SampleRecords.rateLimitedFailure().build();
        exportOk(Map.of(), r);
        List<Span> spans = receiver.spans();
        Span client = only(spans, "chat gpt-3.5-turbo");
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, client.getStatus().getCode());
        assertEquals("rate_limit_error", Otlp.string(client, "error.type"));
        assertTrue(client.getStatus().getMessage().contains("upstream rate limit reached"));
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.response.id"));
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.usage.input_tokens"), "estimated counts of a failure are no usage");
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.usage.output_tokens"));

        Span attempt = only(spans, "POST");
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempt.getStatus().getCode());
        assertEquals(429, Otlp.integer(attempt, "http.response.status_code"));
        assertEquals("429", Otlp.string(attempt, "error.type"), "the HTTP conventions' error.type for a status received");

        // A 4xx is the client's side of HTTP: the server span stays unset (HTTP conventions), llmhub says why.
        Span server = only(spans, "POST /chat/completions");
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, server.getStatus().getCode());
        assertEquals(429, Otlp.integer(server, "http.response.status_code"));
        assertFalse(Otlp.attributes(server).containsKey("error.type"));
        assertEquals("rate_limit_error", Otlp.string(server, "llmhub.error.type"));
        assertEquals("upstream rate limit reached", Otlp.string(server, "llmhub.error.message"));
    }

    @Test
    void aCallRefusedBeforeAnyTryHasOnlyItsServerSpanAndNoMetric() {
        CallError invalid = new CallError("invalid_request_error", "messages is required", Optional.of(400),
                Optional.empty(), false);
        CallRecord r = SampleRecords.seedSuccess().failure(invalid).response(null).responseModel(null)
                .deployment(null).provider(null).apiBase(null).upstreamModel(null).attempts(List.of()).build();
        exportOk(Map.of(), r);
        List<Span> spans = receiver.spans();
        assertEquals(List.of("POST /chat/completions"), spans.stream().map(Span::getName).toList());
        assertEquals(400, Otlp.integer(spans.get(0), "http.response.status_code"));
        assertTrue(receiver.metrics().isEmpty(), "no GenAI operation, nothing for the GenAI metrics");
    }

    private static CallRecord retried() {
        CallRecord ok = SampleRecords.seedSuccess().build();
        Instant t = ok.startTime();
        CallError unavailable = new CallError("upstream_error", "upstream answered 503", Optional.of(503),
                Optional.empty(), true);
        return ok.toBuilder().upstreamModel("gpt-4o").attempts(List.of(
                new Attempt("gpt-eu", "azure", Optional.of("https://eu.example.com/openai/deployments/gpt/chat/completions"), t.plusMillis(2), t.plusMillis(100), CallStatus.FAILURE, Optional.of(unavailable)),
                new Attempt("gpt-3.5-turbo-0", "openai", Optional.of("https://api.openai.com/v1/chat/completions"), t.plusMillis(110), t.plusMillis(400), CallStatus.SUCCESS, Optional.empty())))
                .build();
    }

    @Test
    void aRetriedCallIsOneGenAiSpanWithOneHttpSpanPerTry() {
        CallRecord r = retried();
        exportOk(Map.of(), r);
        List<Span> spans = receiver.spans();
        assertEquals(4, spans.size());
        Span client = only(spans, "chat gpt-4o");
        List<Span> tries = spans.stream().filter(s -> s.getName().equals("POST")).toList();
        assertEquals(2, tries.size());
        Span first = tries.get(0);
        Span second = tries.get(1);
        assertEquals(GenAiOperation.nanos(r.startTime().plusMillis(2)), client.getStartTimeUnixNano());
        assertEquals(GenAiOperation.nanos(r.startTime().plusMillis(400)), client.getEndTimeUnixNano());
        assertEquals("gpt-4o", Otlp.string(client, "gen_ai.request.model"), "the model sent upstream, not the alias");
        assertEquals("gpt-3.5-turbo", Otlp.string(client, "llmhub.model_group"));
        for (Span a : List.of(first, second)) {
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, a.getKind());
            assertEquals(client.getSpanId(), a.getParentSpanId());
            assertEquals(r.id(), Otlp.string(a, "llmhub.call.id"));
            assertTrue(Otlp.attributes(a).keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")), a.toString());
        }
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, first.getStatus().getCode());
        assertEquals("503", Otlp.string(first, "error.type"));
        assertEquals(503, Otlp.integer(first, "http.response.status_code"));
        assertEquals("eu.example.com", Otlp.string(first, "server.address"));
        assertEquals("gpt-eu", Otlp.string(first, "llmhub.deployment"));
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, second.getStatus().getCode());
        assertEquals(1, Otlp.integer(second, "http.request.resend_count"));
        assertEquals("api.openai.com", Otlp.string(second, "server.address"));
        assertEquals("api.openai.com", Otlp.string(client, "server.address"), "the server that answered");
        assertEquals(2, Otlp.integer(client, "llmhub.attempt.count"));
        assertEquals(4, spans.stream().map(s -> Otlp.hex(s.getSpanId())).distinct().count());
    }

    @Test
    void messagesFollowTheGenAiSchemasAndCanBeSwitchedOff() throws Exception {
        CallRecord r = richSuccess();
        exportOk(Map.of(), r);
        Span client = only(receiver.spans(), "chat gpt-3.5-turbo");
        JsonNode input = JSON.readTree(Otlp.string(client, "gen_ai.input.messages"));
        assertEquals("user", input.get(0).get("role").asText());
        assertEquals("text", input.get(0).get("parts").get(0).get("type").asText());
        assertEquals("good morning good sir", input.get(0).get("parts").get(0).get("content").asText());
        JsonNode output = JSON.readTree(Otlp.string(client, "gen_ai.output.messages"));
        assertEquals("assistant", output.get(0).get("role").asText());
        assertEquals("stop", output.get(0).get("finish_reason").asText());
        assertEquals("Good morning! How can I assist you today?", output.get(0).get("parts").get(0).get("content").asText());

        receiver.clear();
        CallRecord quiet = richSuccess();
        exportOk(Map.of("capture_message_content", false), quiet);
        Span quietClient = only(receiver.spans(), "chat gpt-3.5-turbo");
        assertFalse(Otlp.attributes(quietClient).containsKey("gen_ai.input.messages"));
        assertFalse(Otlp.attributes(quietClient).containsKey("gen_ai.output.messages"));
        String everything = received();
        assertFalse(everything.contains("good morning good sir"));
        assertFalse(everything.contains("How can I assist you"));
        assertTrue(receiver.logRequests.isEmpty());
    }

    @Test
    void contentCanGoToTheOperationDetailsEventInStructuredForm() {
        CallRecord r = richSuccess();
        try (Destination d = destination(Map.of("capture_message_content", "event_only"))) {
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
        }
        Span client = receiver.spans().stream().filter(s -> s.getName().equals("chat gpt-3.5-turbo")).findFirst().orElseThrow();
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.input.messages"), "event only: no content on the span");
        List<io.opentelemetry.proto.logs.v1.LogRecord> events = receiver.logRecords();
        assertEquals(1, events.size(), "a batch sent twice sends its event once");
        io.opentelemetry.proto.logs.v1.LogRecord event = events.get(0);
        assertEquals("gen_ai.client.inference.operation.details", event.getEventName());
        assertEquals(client.getSpanId(), event.getSpanId());
        assertEquals(client.getTraceId(), event.getTraceId());
        Map<String, AnyValue> attrs = Otlp.attributes(event.getAttributesList());
        assertEquals("gpt-3.5-turbo", attrs.get("gen_ai.request.model").getStringValue());
        AnyValue input = attrs.get("gen_ai.input.messages");
        assertTrue(input.hasArrayValue(), "structured, as events require: " + input);
        Map<String, AnyValue> firstMessage = Otlp.attributes(input.getArrayValue().getValues(0).getKvlistValue().getValuesList());
        assertEquals("user", firstMessage.get("role").getStringValue());
        Map<String, AnyValue> part = Otlp.attributes(firstMessage.get("parts").getArrayValue().getValues(0).getKvlistValue().getValuesList());
        assertEquals("good morning good sir", part.get("content").getStringValue());
        assertTrue(attrs.get("gen_ai.output.messages").hasArrayValue());
    }

    @Test
    void requestInputAndRedactedHeadersAreServerSpanEvents() {
        CallRecord r = richSuccess();
        exportOk(Map.of(), r);
        Span server = only(receiver.spans(), "POST /chat/completions");
        Map<String, Span.Event> events = server.getEventsList().stream()
                .collect(Collectors.toMap(Span.Event::getName, e -> e));
        assertEquals(Set.of("llmhub.request.input", "llmhub.request.headers"), events.keySet());
        Map<String, AnyValue> headers = Otlp.attributes(events.get("llmhub.request.headers").getAttributesList());
        assertEquals(CallRecord.REDACTED, headers.get("authorization").getStringValue());
        assertEquals("curl/7.88.1", headers.get("user-agent").getStringValue());
        Map<String, AnyValue> input = Otlp.attributes(events.get("llmhub.request.input").getAttributesList());
        assertEquals("gpt-3.5-turbo", input.get("model").getStringValue());
        assertEquals("POST", input.get("http.request.method").getStringValue());
        assertEquals("/chat/completions", input.get("url.path").getStringValue());
        assertTrue(input.get("request_params").getStringValue().contains("\"temperature\":0.2"));
        assertFalse(input.containsKey("messages"), "content has its own places, on the GenAI span or event");
        assertFalse(server.toString().contains("good morning good sir"));
        assertEquals(GenAiOperation.nanos(r.startTime()), events.get("llmhub.request.input").getTimeUnixNano());
    }

    @Test
    void noSecretReachesTheReceiverOrTheLogs() {
        String callerKey = "sk-1244-distinctive-caller-key";
        String collectorKey = "collector-token-9f8e7d-distinctive";
        Map<String, String> headers = new LinkedHashMap<>(SampleRecords.seedSuccess().build().headers());
        headers.put("authorization", CallRecord.REDACTED); // what the core hands over
        headers.put("x-api-key", callerKey);                // a header the core failed to redact
        headers.put("cookie", "session=" + callerKey);
        Map<String, Object> metadata = new LinkedHashMap<>(SampleRecords.seedSuccess().build().metadata());
        metadata.put("user_api_key", callerKey);              // metadata a client filled carelessly
        CallRecord r = SampleRecords.seedSuccess().headers(headers).metadata(metadata).build();
        TestPluginContext context = TestPluginContext.of("otel", Map.of(),
                Map.of("OTEL_ENDPOINT", receiver.endpoint(), "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20" + collectorKey));
        try (Destination d = destination(context)) {
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
        }
        assertTrue(receiver.requestHeaders.stream().allMatch(h -> ("Bearer " + collectorKey).equals(h.get("authorization"))),
                "the collector's credentials travel as request headers");
        String everything = received();
        assertTrue(everything.contains(r.id()), "the dump holds the exported data");
        for (String secret : List.of(callerKey, collectorKey, "sk-1234", "Bearer")) {
            assertFalse(everything.contains(secret), secret + " reached the receiver's span or metric data");
            assertTrue(context.logger().lines().stream().noneMatch(l -> l.contains(secret)), secret + " was logged");
        }
    }

    /** Everything the receiver got, spans and metrics, as text. */
    private static String received() {
        StringBuilder sb = new StringBuilder();
        receiver.traceRequests.forEach(t -> sb.append(t.toByteString().toString(StandardCharsets.UTF_8)).append(t));
        receiver.metricRequests.forEach(m -> sb.append(m.toByteString().toString(StandardCharsets.UTF_8)).append(m));
        return sb.toString();
    }

    private static Metric lastMetric(String name) {
        List<Metric> all = receiver.metrics().stream().filter(m -> m.getName().equals(name)).toList();
        assertFalse(all.isEmpty(), "no metric " + name + " in " + receiver.metrics().stream().map(Metric::getName).toList());
        return all.get(all.size() - 1);
    }

    private static Map<String, HistogramDataPoint> byTokenType(Metric m) {
        Map<String, HistogramDataPoint> out = new HashMap<>();
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
            out.put(Otlp.attributes(p.getAttributesList()).get("gen_ai.token.type").getStringValue(), p);
        }
        return out;
    }

    @Test
    void genAiMetricsArriveWithTheSpecsNamesUnitsAndBuckets() {
        CallRecord base = SampleRecords.seedSuccess().build();
        Instant first = base.attempts().get(0).startTime().plusMillis(250);
        CallRecord stream = base.toBuilder().stream(true).firstTokenTime(first).lastTokenTime(first.plusMillis(100))
                .outputChunks(5).build();
        exportOk(Map.of(), stream);
        Span client = only(receiver.spans(), "chat gpt-3.5-turbo");
        assertTrue(Otlp.attributes(client).get("gen_ai.request.stream").getBoolValue());
        assertEquals(0.25, Otlp.dbl(client, "gen_ai.response.time_to_first_chunk"), 1e-9);

        Metric tokens = lastMetric("gen_ai.client.token.usage");
        assertEquals("{token}", tokens.getUnit());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, tokens.getHistogram().getAggregationTemporality());
        Map<String, HistogramDataPoint> points = byTokenType(tokens);
        assertEquals(11.0, points.get("input").getSum());
        assertEquals(10.0, points.get("output").getSum());
        assertEquals(List.of(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0,
                4194304.0, 16777216.0, 67108864.0), points.get("input").getExplicitBoundsList());
        Map<String, AnyValue> attrs = Otlp.attributes(points.get("input").getAttributesList());
        assertEquals("chat", attrs.get("gen_ai.operation.name").getStringValue());
        assertEquals("openai", attrs.get("gen_ai.provider.name").getStringValue());
        assertEquals("gpt-3.5-turbo", attrs.get("gen_ai.request.model").getStringValue());
        assertEquals("api.openai.com", attrs.get("server.address").getStringValue());

        List<Double> durationBuckets = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
                20.48, 40.96, 81.92);
        Metric duration = lastMetric("gen_ai.client.operation.duration");
        assertEquals("s", duration.getUnit());
        HistogramDataPoint dp = duration.getHistogram().getDataPoints(0);
        assertEquals(1, dp.getCount());
        assertEquals(0.415, dp.getSum(), 1e-9, "a stream's operation ends with the stream, not when it was accepted");
        assertEquals(durationBuckets, dp.getExplicitBoundsList());

        Metric ttfc = lastMetric("gen_ai.client.operation.time_to_first_chunk");
        assertEquals("s", ttfc.getUnit());
        assertEquals(0.25, ttfc.getHistogram().getDataPoints(0).getSum(), 1e-9);
        assertEquals(durationBuckets, ttfc.getHistogram().getDataPoints(0).getExplicitBoundsList());

        Metric tpoc = lastMetric("gen_ai.client.operation.time_per_output_chunk");
        assertEquals("s", tpoc.getUnit());
        HistogramDataPoint gaps = tpoc.getHistogram().getDataPoints(0);
        assertEquals(4, gaps.getCount(), "one value per chunk after the first");
        assertEquals(0.1, gaps.getSum(), 1e-9, "first to last chunk");
        assertEquals(durationBuckets, gaps.getExplicitBoundsList());
    }

    @Test
    void aFailedCallsDurationCarriesErrorTypeAndEstimatedTokensStayOut() {
        exportOk(Map.of(), SampleRecords.rateLimitedFailure().build());
        HistogramDataPoint dp = lastMetric("gen_ai.client.operation.duration").getHistogram().getDataPoints(0);
        assertEquals("rate_limit_error", Otlp.attributes(dp.getAttributesList()).get("error.type").getStringValue());
        assertTrue(receiver.metrics().stream().noneMatch(m -> m.getName().equals("gen_ai.client.token.usage")),
                "the failure's token counts were estimated by the proxy, not reported by the provider");
    }

    @Test
    void aRetriedBatchIsNotCountedTwiceInTheMetrics() {
        CallRecord r = SampleRecords.seedSuccess().build();
        try (Destination d = destination(Map.of())) {
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
        }
        assertEquals(2, receiver.metricRequests.size());
        Map<String, HistogramDataPoint> points = byTokenType(lastMetric("gen_ai.client.token.usage"));
        assertEquals(1, points.get("input").getCount());
        assertEquals(11.0, points.get("input").getSum());
        assertEquals(1, lastMetric("gen_ai.client.operation.duration").getHistogram().getDataPoints(0).getCount());
    }

    @Test
    void receiverDownIsRetryableAndTheRetryDeliversTheSameSpansOnce() throws Exception {
        OtlpReceiver own = new OtlpReceiver().start();
        int port = own.port();
        own.stop();
        CallRecord r = SampleRecords.seedSuccess().build();
        TestPluginContext context = TestPluginContext.of("otel", Map.of("endpoint", "127.0.0.1:" + port, "timeout", "3s"), Map.of());
        try (Destination d = destination(context)) {
            ExportResult down = d.export(List.of(r));
            ExportResult.Retryable retry = assertInstanceOf(ExportResult.Retryable.class, down);
            assertTrue(retry.reason().contains("127.0.0.1:" + port), retry.reason());

            own.start();
            try {
                assertEquals(port, own.port());
                assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
                List<Span> spans = own.spans();
                assertEquals(3, spans.size());
                assertEquals(r.spanId(), Otlp.hex(only(spans, "POST /chat/completions").getSpanId()));
                assertEquals(DerivedIds.spanId(r.id(), "client"), Otlp.hex(only(spans, "chat gpt-3.5-turbo").getSpanId()));
                Map<String, HistogramDataPoint> points = byTokenType(own.metrics().stream()
                        .filter(m -> m.getName().equals("gen_ai.client.token.usage")).reduce((a, b) -> b).orElseThrow());
                assertEquals(1, points.get("input").getCount(), "the failed try's record is counted once");
            } finally {
                own.stop();
            }
        }
    }

    @Test
    void theSameRecordAlwaysYieldsTheSameSpanIds() {
        CallRecord r = retried();
        SpanTranslator t = new SpanTranslator(io.opentelemetry.sdk.common.InstrumentationScopeInfo.create("t"),
                x -> io.opentelemetry.sdk.resources.Resource.empty(), Object::toString, ContentCapture.SPAN_ONLY);
        List<String> first = t.spans(r).stream().map(s -> s.getSpanId()).toList();
        List<String> second = t.spans(r).stream().map(s -> s.getSpanId()).toList();
        assertEquals(first, second);
        assertEquals(4, Set.copyOf(first).size());
        List<String> other = t.spans(r.toBuilder().id(r.id() + "x").build()).stream().map(s -> s.getSpanId()).toList();
        assertEquals(first.get(0), other.get(0), "the server span is the record's own span id");
        assertFalse(first.subList(1, 4).stream().anyMatch(other::contains), "derived ids depend on the record id");
    }

    @Test
    void theResourceNamesTheService() {
        try (Destination d = destination(TestPluginContext.of("otel", Map.of("service_name", "my-proxy",
                "resource_attributes", "deployment.environment.name=prod,team=ml%20platform"),
                Map.of("OTEL_ENDPOINT", receiver.endpoint(), "OTEL_SERVICE_NAME", "ignored-env-name")))) {
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(SampleRecords.seedSuccess().build())));
        }
        Map<String, AnyValue> resource = Otlp.attributes(receiver.traceRequests.get(0).getResourceSpans(0).getResource().getAttributesList());
        assertEquals("my-proxy", resource.get("service.name").getStringValue());
        assertEquals("prod", resource.get("deployment.environment.name").getStringValue());
        assertEquals("ml platform", resource.get("team").getStringValue());
        assertEquals("test-host", resource.get("service.instance.id").getStringValue());
        var scopeSpans = receiver.traceRequests.get(0).getResourceSpans(0).getScopeSpans(0);
        assertEquals("dev.llmhub.otel", scopeSpans.getScope().getName());
        assertEquals("https://opentelemetry.io/schemas/1.41.0", scopeSpans.getSchemaUrl());
        assertEquals("https://opentelemetry.io/schemas/1.41.0",
                receiver.metricRequests.get(0).getResourceMetrics(0).getScopeMetrics(0).getSchemaUrl());
    }

    @Test
    void aCollectorRefusingTheCredentialsIsPermanentAndAnOverloadedOneRetryable() {
        CallRecord r = SampleRecords.seedSuccess().build();
        String token = "collector-token-refused-77";
        TestPluginContext context = TestPluginContext.of("otel", Map.of("endpoint", receiver.endpoint(),
                "headers", Map.of("authorization", "Bearer " + token)), Map.of());
        try (Destination d = destination(context)) {
            receiver.refuseWith = io.grpc.Status.UNAUTHENTICATED.withDescription("bad token " + token);
            ExportResult.Permanent refused = assertInstanceOf(ExportResult.Permanent.class, d.export(List.of(r)));
            assertTrue(refused.reason().contains("UNAUTHENTICATED"), refused.reason());
            assertFalse(refused.reason().contains(token), "the collector echoed the token; the reason must not");

            receiver.refuseWith = io.grpc.Status.UNAVAILABLE;
            assertInstanceOf(ExportResult.Retryable.class, d.export(List.of(r)));

            receiver.refuseWith = null;
            assertInstanceOf(ExportResult.Success.class, d.export(List.of(r)));
        }
        assertEquals(3, receiver.spans().size());
    }

    @Test
    void theFactoryIsIndexedAsAPf4jExtensionNamedOtel() throws Exception {
        assertEquals("otel", new OtelDestinationFactory().name());
        PluginZipCheck.assertIndexed(java.nio.file.Path.of(OtelDestinationFactory.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()), OtelDestinationFactory.class);
    }

    @Test
    void theExportersPerThreadEncoderIsFoundSoExportsLeaveNothingOnTheCallersThread() {
        // If an SDK upgrade moves this cache, hot reload would leak the plugin's class loader through the
        // core's lane threads (OtelPluginZipIT proves the release end to end).
        assertTrue(CallerThreadCleanup.active());
    }
}
