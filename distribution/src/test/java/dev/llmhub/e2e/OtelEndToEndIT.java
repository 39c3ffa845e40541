package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.e2e.Texts.closedPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.llmhub.plugin.otel.Otlp;
import dev.llmhub.plugin.otel.OtlpReceiver;
import dev.llmhub.server.SeedRequests;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's OpenTelemetry flow against the assembled distribution: {@code general_settings: otel: True},
 * {@code OTEL_ENDPOINT} pointing at a real OTLP/gRPC receiver, the seed's curl with {@code Bearer sk-1234}
 * and a W3C {@code traceparent}; then what the receiver got is checked against the GenAI and HTTP
 * conventions' shape (one GenAI span per call, one HTTP client span per upstream try, the model sent
 * upstream, content only in its places), searched for secrets, and the receiver is stopped and
 * restarted mid-traffic. The full attribute-by-attribute check against the spec is the otel module's
 * SemanticConventionsConformanceTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtelEndToEndIT {
    private static final String MASTER_KEY = "sk-1234";
    private static final String COOKIE_SECRET = "e2e-cookie-value-5b1f0c7d93";
    private static final String X_API_KEY_SECRET = "xak-e2e-8d24e6a1f0";
    private static final String UPSTREAM_SECRET = "sk-upstream-e2e-31c7b9";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private OtlpReceiver receiver;
    private FakeOpenAiUpstream upstream;
    private ProxyProcess proxy;

    /**
     * The seed's OTel config, an alias in front of a real HTTP upstream, a deployment nobody listens
     * for, and short lane timings.
     */
    private static String config(String upstreamBase, int closedPort, String contentCapture) {
        return "model_list:\n" + SeedRequests.MOCK_MODEL + """
                  - model_name: stub-gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: %s
                      api_key: %s
                """.formatted(upstreamBase, UPSTREAM_SECRET)
                + ConfigYaml.unreachableModel("broken", "gpt-3.5-turbo", closedPort, UPSTREAM_SECRET) + """

                general_settings:
                  master_key: sk-1234
                  otel: True      # set OpenTelemetry=True, on llmhub

                callback_settings:
                  otel:
                    flush_interval: 200ms
                    retry_initial_backoff: 100ms
                    retry_max_backoff: 1s
                    capture_message_content: %s
                """.formatted(contentCapture);
    }

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        receiver = new OtlpReceiver().start();
        upstream = new FakeOpenAiUpstream();
        proxy = ProxyProcess.start(work, config(upstream.apiBase(), closedPort(), "span_only"), null,
                Map.of("OTEL_ENDPOINT", "127.0.0.1:" + receiver.port()));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theSeedsCurlBecomesAGenAiTraceInTheCallersTrace() throws Exception {
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.LITELLM_TESTING,
                "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + callerSpan + "-01",
                "Cookie", "session=" + COOKIE_SECRET,
                "x-api-key", X_API_KEY_SECRET);
        assertEquals(200, r.statusCode(), r.body());

        List<Span> spans = awaitTrace(traceId, 2);
        Span server = OtlpFindings.server(spans);
        Span client = OtlpFindings.operation(spans);
        String all = spans.toString();

        // Trace continuation: the proxy's SERVER span is the caller's span's child, in the caller's trace.
        assertEquals(callerSpan, Otlp.hex(server.getParentSpanId()), all);
        assertEquals(traceId, Otlp.hex(client.getTraceId()), all);
        assertEquals(Otlp.hex(server.getSpanId()), Otlp.hex(client.getParentSpanId()), all);
        assertEquals("POST /chat/completions", server.getName(), all);
        assertEquals("/chat/completions", Otlp.string(server, "url.path"));
        assertEquals(200, Otlp.integer(server, "http.response.status_code"));
        assertTrue(Otlp.attributes(server).keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")), all);

        // The GenAI inference span.
        assertEquals("chat gpt-3.5-turbo", client.getName(), all);
        assertEquals("chat", Otlp.string(client, "gen_ai.operation.name"));
        // The deployment is llmhub's built-in mock (mock_response): no request went to OpenAI, so no
        // HTTP client span under the GenAI span and no made-up server.address.
        assertEquals("mock", Otlp.string(client, "gen_ai.provider.name"));
        assertEquals(List.of(), OtlpFindings.tries(spans), all);
        assertFalse(Otlp.attributes(client).containsKey("server.address"), all);
        assertEquals("gpt-3.5-turbo", Otlp.string(client, "gen_ai.request.model"));
        assertTrue(Otlp.string(client, "gen_ai.response.model").startsWith("gpt-3.5-turbo"), all);
        assertFalse(Otlp.string(client, "gen_ai.response.id").isBlank(), all);
        assertEquals(List.of("stop"), Otlp.strings(client, "gen_ai.response.finish_reasons"));
        assertTrue(Otlp.integer(client, "gen_ai.usage.input_tokens") > 0, all);
        assertTrue(Otlp.integer(client, "gen_ai.usage.output_tokens") > 0, all);
        assertFalse(Otlp.string(client, "llmhub.call.id").isBlank(), all);
        assertEquals(Otlp.string(client, "llmhub.call.id"), Otlp.string(server, "llmhub.call.id"));
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, client.getStatus().getCode(), all);
        assertTrue(Otlp.dbl(client, "llmhub.cost.total") > 0, all);
        assertEquals("llmhub", receiver.traceRequests.get(0).getResourceSpans(0).getResource().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals("service.name")).findFirst().orElseThrow().getValue().getStringValue());
        assertEquals("https://opentelemetry.io/schemas/1.41.0",
                receiver.traceRequests.get(0).getResourceSpans(0).getScopeSpans(0).getSchemaUrl());

        // Content is captured by default (the seed shows input and output), in the conventions' places
        // and shape: the GenAI span's messages, never the server span's events.
        JsonNode input = JSON.readTree(Otlp.string(client, "gen_ai.input.messages"));
        assertEquals("request from LiteLLM testing", input.get(0).get("parts").get(0).get("content").asText());
        JsonNode output = JSON.readTree(Otlp.string(client, "gen_ai.output.messages"));
        assertEquals("Good morning! How can I assist you today?", output.get(0).get("parts").get(0).get("content").asText());
        assertFalse(server.toString().contains("request from LiteLLM testing"), server.toString());

        // The seed's "Request Input" and "Request Headers" events: HTTP facts, the caller's secrets replaced.
        Map<String, AnyValue> requestInput = event(server, "llmhub.request.input");
        assertEquals("POST", requestInput.get("http.request.method").getStringValue());
        assertEquals("/chat/completions", requestInput.get("url.path").getStringValue());
        Map<String, AnyValue> headers = event(server, "llmhub.request.headers");
        assertEquals("[REDACTED]", headers.get("authorization").getStringValue(), headers.toString());
        assertEquals("[REDACTED]", headers.get("cookie").getStringValue(), headers.toString());
        assertEquals("[REDACTED]", headers.get("x-api-key").getStringValue(), headers.toString());
        assertEquals("application/x-www-form-urlencoded", headers.get("content-type").getStringValue(), headers.toString());

        // The GenAI client metrics, with the spec's units.
        proxy.await("gen_ai.client.token.usage and gen_ai.client.operation.duration for gpt-3.5-turbo", WAIT, () ->
                points("gen_ai.client.token.usage", "gpt-3.5-turbo").size() >= 2
                        && !points("gen_ai.client.operation.duration", "gpt-3.5-turbo").isEmpty());
        assertEquals("{token}", OtlpFindings.unit(receiver, "gen_ai.client.token.usage").orElseThrow());
        assertEquals("s", OtlpFindings.unit(receiver, "gen_ai.client.operation.duration").orElseThrow());
        Set<String> tokenTypes = new HashSet<>();
        for (HistogramDataPoint p : points("gen_ai.client.token.usage", "gpt-3.5-turbo")) {
            tokenTypes.add(OtlpFindings.attribute(p, "gen_ai.token.type"));
            assertEquals("chat", OtlpFindings.attribute(p, "gen_ai.operation.name"), p.toString());
            assertEquals("mock", OtlpFindings.attribute(p, "gen_ai.provider.name"), p.toString());
            assertTrue(p.getCount() >= 1 && p.getSum() > 0, p.toString());
            assertEquals("", OtlpFindings.attribute(p, "server.address"), p.toString());
        }
        assertEquals(Set.of("input", "output"), tokenTypes);

        assertNoSecretReachedTheReceiver();
    }

    @Test
    void aCallThroughAnAliasIsNamedByTheModelSentAndItsTryIsAnHttpSpan() {
        String traceId = randomHex(16);
        HttpResponse<String> r = proxy.post("/v1/chat/completions", """
                {"model": "stub-gpt-4o", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.3}""",
                "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json",
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertEquals(200, r.statusCode(), r.body());

        List<Span> spans = awaitTrace(traceId, 3);
        String all = spans.toString();
        Span server = OtlpFindings.server(spans);
        Span client = OtlpFindings.operation(spans);
        assertEquals("POST /v1/chat/completions", server.getName(), all);
        assertEquals("chat gpt-4o", client.getName(), all);
        assertEquals("gpt-4o", Otlp.string(client, "gen_ai.request.model"), "the model sent upstream, not the alias");
        assertEquals("stub-gpt-4o", Otlp.string(client, "llmhub.model_group"));
        assertTrue(Otlp.string(client, "llmhub.deployment").startsWith("stub-gpt-4o"), all);
        assertEquals("openai", Otlp.string(client, "gen_ai.provider.name"));
        assertEquals("chat_completions", Otlp.string(client, "openai.api.type"));
        assertEquals("127.0.0.1", Otlp.string(client, "server.address"));
        assertEquals(0.3, Otlp.dbl(client, "gen_ai.request.temperature"));

        List<Span> tries = OtlpFindings.tries(spans);
        assertEquals(1, tries.size(), all);
        Span attempt = tries.get(0);
        assertEquals("POST", attempt.getName());
        assertEquals(client.getSpanId(), attempt.getParentSpanId());
        assertEquals(upstream.apiBase() + "/chat/completions", Otlp.string(attempt, "url.full"));
        assertEquals("POST", Otlp.string(attempt, "http.request.method"));
        assertEquals(200, Otlp.integer(attempt, "http.response.status_code"));
        assertEquals("127.0.0.1", Otlp.string(attempt, "server.address"));
        assertTrue(Otlp.attributes(attempt).keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")), attempt.toString());

        proxy.await("metrics for gpt-4o", WAIT, () -> !points("gen_ai.client.operation.duration", "gpt-4o").isEmpty());
        for (String metric : List.of("gen_ai.client.token.usage", "gen_ai.client.operation.duration")) {
            assertEquals(List.of(), points(metric, "stub-gpt-4o"), metric + " never names the alias");
        }
        assertNoSecretReachedTheReceiver();
    }

    @Test
    void aStreamedCallIsTracedToo() {
        String traceId = randomHex(16);
        // As docs/destinations/otel.md's curl: a session and tags in metadata, plus the seed's "user".
        String body = SeedRequests.LITELLM_TESTING.replace("\"model\": \"gpt-3.5-turbo\",", "\"model\": \"gpt-3.5-turbo\", \"stream\": true,"
                + " \"user\": \"ishaan-app\", \"metadata\": {\"session_id\": \"session-42\", \"tags\": [\"prod\"]},");
        HttpResponse<String> r = proxy.post("/chat/completions", body,
                "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("data: [DONE]"), r.body());
        String callId = r.headers().firstValue("x-llmhub-call-id").orElseThrow();

        List<Span> spans = awaitTrace(traceId, 2);
        Span client = OtlpFindings.operation(spans);
        assertEquals("chat gpt-3.5-turbo", client.getName(), spans.toString());
        assertEquals(callId, Otlp.string(client, "llmhub.call.id"));
        assertTrue(Otlp.attributes(client).get("gen_ai.request.stream").getBoolValue(), client.toString());
        assertTrue(Otlp.dbl(client, "gen_ai.response.time_to_first_chunk") >= 0, client.toString());
        assertEquals(List.of("stop"), Otlp.strings(client, "gen_ai.response.finish_reasons"));
        assertTrue(Otlp.integer(client, "gen_ai.usage.output_tokens") > 0, client.toString());
        assertEquals("session-42", Otlp.string(client, "gen_ai.conversation.id"));
        Span server = OtlpFindings.server(spans);
        for (Span span : List.of(server, client)) {
            assertEquals("ishaan-app", Otlp.string(span, "user.id"), span.toString());
            assertEquals(List.of("prod"), Otlp.strings(span, "llmhub.metadata.tags"), span.toString());
        }
        proxy.await("gen_ai.client.operation.time_to_first_chunk and time_per_output_chunk", WAIT,
                () -> !points("gen_ai.client.operation.time_to_first_chunk", "gpt-3.5-turbo").isEmpty()
                        && !points("gen_ai.client.operation.time_per_output_chunk", "gpt-3.5-turbo").isEmpty());
        assertEquals("s", OtlpFindings.unit(receiver, "gen_ai.client.operation.time_per_output_chunk").orElseThrow());
        assertNoSecretReachedTheReceiver();
    }

    @Test
    void aFailedUpstreamCallIsAnErrorSpanWithoutTokenCounts() {
        String traceId = randomHex(16);
        HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.LITELLM_TESTING.replace("\"gpt-3.5-turbo\"", "\"broken\""),
                "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body());

        List<Span> spans = awaitTrace(traceId, 3);
        Span client = OtlpFindings.operation(spans);
        Span server = OtlpFindings.server(spans);
        assertEquals("chat gpt-3.5-turbo", client.getName(), "the model the broken deployment sends: " + spans);
        assertEquals("broken", Otlp.string(client, "llmhub.model_group"));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, client.getStatus().getCode(), client.toString());
        assertEquals("api_connection_error", Otlp.string(client, "error.type"));
        assertEquals("openai", Otlp.string(client, "gen_ai.provider.name"));
        assertEquals("127.0.0.1", Otlp.string(client, "server.address"));
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.usage.input_tokens"), "nothing was measured: " + client);
        assertFalse(Otlp.attributes(client).containsKey("gen_ai.usage.output_tokens"), client.toString());

        Span attempt = OtlpFindings.tries(spans).get(0);
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, attempt.getStatus().getCode());
        assertEquals("api_connection_error", Otlp.string(attempt, "error.type"));
        assertFalse(Otlp.attributes(attempt).containsKey("http.response.status_code"), "no answer came: " + attempt);

        assertEquals(r.statusCode(), Otlp.integer(server, "http.response.status_code"));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, server.getStatus().getCode(), "a 5xx is a server error");
        proxy.await("gen_ai.client.operation.duration with error.type", WAIT, () ->
                points("gen_ai.client.operation.duration", "gpt-3.5-turbo").stream()
                        .anyMatch(p -> OtlpFindings.attribute(p, "error.type").equals("api_connection_error")));
        assertNoSecretReachedTheReceiver();
    }

    @Test
    void aCollectorThatGoesAwayAndComesBackGetsEveryCallAndEventOnce(@TempDir Path work) throws Exception {
        try (OtlpReceiver flaky = new OtlpReceiver().start();
             ProxyProcess hub = ProxyProcess.start(work, config(upstream.apiBase(), closedPort(), "span_and_event"), null,
                     Map.of("OTEL_ENDPOINT", "http://127.0.0.1:" + flaky.port()))) {
            List<String> traces = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                traces.add(call(hub));
            }
            // Mid-traffic: the first calls are delivered before the receiver goes away.
            hub.await("the first 3 calls delivered", WAIT, () -> callIds(flaky, traces).size() == 3);
            // Their events go in an export of their own after the spans: a receiver stopped while it answers
            // one may have kept it, and the retry sends it again (at least once, as documented), so it
            // goes away only once both have arrived.
            hub.await("the first 3 calls' events delivered", WAIT, () -> flaky.logRecords().size() == 3);
            flaky.stop();
            for (int i = 0; i < 3; i++) {
                traces.add(call(hub));
            }
            hub.await("the otel lane to retry while the receiver is down", WAIT,
                    () -> OtlpFindings.recordsTotal(scrape(hub), "otel", "retried") > 0);
            flaky.start();
            for (int i = 0; i < 3; i++) {
                traces.add(call(hub));
            }

            hub.await("a GenAI span of each of the " + traces.size() + " calls", WAIT,
                    () -> callIds(flaky, traces).size() == traces.size());
            Map<String, Set<String>> ids = callIds(flaky, traces);
            assertEquals(traces.size(), ids.size(), ids.toString());
            // A re-sent span is the same span (same id), never a second tree.
            ids.forEach((callId, spanIds) -> assertEquals(1, spanIds.size(), callId + " came as " + spanIds));
            // The operation details event (content in structured form) of each call, exactly once.
            hub.await("an operation details event per call", WAIT, () -> flaky.logRecords().size() >= traces.size());
            Map<String, Long> events = new HashMap<>();
            flaky.logRecords().forEach(e -> events.merge(Otlp.hex(e.getTraceId()), 1L, Long::sum));
            assertEquals(traces.stream().collect(Collectors.toMap(t -> t, t -> 1L)), events);
            assertTrue(flaky.logRecords().stream().allMatch(e -> e.getEventName().equals("gen_ai.client.inference.operation.details")));

            // Metrics are recorded once per call, however many tries its batch took.
            hub.await("gen_ai.client.token.usage counting each of the " + traces.size() + " calls once", WAIT,
                    () -> OtlpFindings.histogramPoints(flaky, "gen_ai.client.token.usage").stream()
                            .filter(p -> OtlpFindings.attribute(p, "gen_ai.token.type").equals("input"))
                            .mapToLong(HistogramDataPoint::getCount).max().orElse(0) == traces.size());
            hub.await("exported == calls on /metrics", WAIT,
                    () -> OtlpFindings.recordsTotal(scrape(hub), "otel", "exported") == traces.size());
            String scrape = scrape(hub);
            System.out.printf("calls=%d retried=%.0f exported=%.0f received GenAI spans=%d events=%d%n", traces.size(),
                    OtlpFindings.recordsTotal(scrape, "otel", "retried"), OtlpFindings.recordsTotal(scrape, "otel", "exported"),
                    flaky.spans().stream().filter(OtlpFindings::isOperation).count(), flaky.logRecords().size());
            scrape.lines().filter(l -> l.contains("otel") && !l.startsWith("#")).forEach(System.out::println);
            assertTrue(OtlpFindings.recordsTotal(scrape, "otel", "retried") > 0, scrape);
            assertEquals(0, OtlpFindings.recordsTotal(scrape, "otel", "failed"), scrape);
            assertEquals(0, OtlpFindings.recordsTotal(scrape, "otel", "dropped"), scrape);
            assertTrue(OtlpFindings.secretIn(flaky, MASTER_KEY, UPSTREAM_SECRET).isEmpty(),
                    () -> OtlpFindings.secretIn(flaky, MASTER_KEY, UPSTREAM_SECRET).orElseThrow());
            assertFalse(hub.output().contains(MASTER_KEY), hub.output());
        }
    }

    /** Sends the seed's curl in a trace of its own. @return the trace id */
    private static String call(ProxyProcess hub) {
        String traceId = randomHex(16);
        HttpResponse<String> r = hub.post("/chat/completions", SeedRequests.LITELLM_TESTING, "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertEquals(200, r.statusCode(), r.body());
        return traceId;
    }

    /** @return call id → the span ids its GenAI span arrived with, for the GenAI spans of those traces */
    private static Map<String, Set<String>> callIds(OtlpReceiver r, List<String> traces) {
        Set<String> wanted = Set.copyOf(traces);
        Map<String, Set<String>> out = new HashMap<>();
        for (Span s : r.spans()) {
            if (OtlpFindings.isOperation(s) && wanted.contains(Otlp.hex(s.getTraceId()))) {
                out.computeIfAbsent(Otlp.string(s, "llmhub.call.id"), k -> new HashSet<>()).add(Otlp.hex(s.getSpanId()));
            }
        }
        return out;
    }

    private static String scrape(ProxyProcess hub) {
        HttpResponse<String> r = hub.get("/metrics", "Authorization", "Bearer " + MASTER_KEY);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private List<Span> awaitTrace(String traceId, int spans) {
        proxy.await(spans + " spans of trace " + traceId, WAIT, () -> OtlpFindings.trace(receiver, traceId).size() >= spans);
        return OtlpFindings.trace(receiver, traceId);
    }

    private List<HistogramDataPoint> points(String metric, String requestModel) {
        return OtlpFindings.histogramPoints(receiver, metric).stream()
                .filter(p -> OtlpFindings.attribute(p, "gen_ai.request.model").equals(requestModel)).toList();
    }

    private static Map<String, AnyValue> event(Span span, String name) {
        return span.getEventsList().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> Otlp.attributes(e.getAttributesList()))
                .orElseThrow(() -> new AssertionError("no event " + name + " on " + span));
    }

    private void assertNoSecretReachedTheReceiver() {
        String[] secrets = {MASTER_KEY, COOKIE_SECRET, X_API_KEY_SECRET, UPSTREAM_SECRET};
        assertTrue(OtlpFindings.secretIn(receiver, secrets).isEmpty(),
                () -> OtlpFindings.secretIn(receiver, secrets).orElseThrow());
        assertFalse(proxy.output().contains(MASTER_KEY), proxy.output());
        assertFalse(proxy.output().contains(COOKIE_SECRET), proxy.output());
        assertFalse(proxy.output().contains(X_API_KEY_SECRET), proxy.output());
        assertFalse(proxy.output().contains(UPSTREAM_SECRET), proxy.output());
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros, which W3C calls invalid
        return HexFormat.of().formatHex(b);
    }
}
