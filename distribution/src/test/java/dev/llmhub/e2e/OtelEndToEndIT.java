package dev.llmhub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.plugin.otel.Otlp;
import dev.llmhub.plugin.otel.OtlpReceiver;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's OpenTelemetry flow against the assembled distribution: {@code general_settings: otel: True},
 * {@code OTEL_ENDPOINT} pointing at a real OTLP/gRPC receiver, the seed's curl with {@code Bearer sk-1234}
 * and a W3C {@code traceparent}; then what the receiver got is checked against the GenAI conventions,
 * searched for secrets, and the receiver is stopped and restarted mid-traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtelEndToEndIT {
    private static final String MASTER_KEY = "sk-1234";
    private static final String COOKIE_SECRET = "e2e-cookie-value-5b1f0c7d93";
    private static final String X_API_KEY_SECRET = "xak-e2e-8d24e6a1f0";
    private static final String UPSTREAM_SECRET = "sk-upstream-e2e-31c7b9";
    private static final Duration WAIT = Duration.ofSeconds(30);

    // The seed's curl body (form-encoded, as curl --data sends it).
    private static final String SEED_BODY = """
             {
                "model": "gpt-3.5-turbo",
                "messages": [
                    {
                    "role": "user",
                    "content": "request from LiteLLM testing"
                    }
                ]
                }""";

    private OtlpReceiver receiver;
    private ProxyProcess proxy;

    /** The seed's OTel config plus a deployment nobody listens for, and short lane timings. */
    private static String config(int closedPort) {
        return """
                model_list:
                  - model_name: gpt-3.5-turbo
                    litellm_params:
                      model: gpt-3.5-turbo
                      mock_response: "Good morning! How can I assist you today?"
                      input_cost_per_token: 1.5e-06
                      output_cost_per_token: 2.0e-06
                  - model_name: broken
                    litellm_params:
                      model: openai/gpt-3.5-turbo
                      api_base: http://127.0.0.1:%d/v1
                      api_key: %s
                      max_retries: 0
                      timeout: 2

                general_settings:
                  master_key: sk-1234
                  otel: True      # set OpenTelemetry=True, on llmhub

                callback_settings:
                  otel:
                    flush_interval: 200ms
                    retry_initial_backoff: 100ms
                    retry_max_backoff: 1s
                """.formatted(closedPort, UPSTREAM_SECRET);
    }

    @BeforeAll
    void start(@TempDir Path work) throws IOException {
        receiver = new OtlpReceiver().start();
        proxy = ProxyProcess.start(work, config(closedPort()), null, Map.of("OTEL_ENDPOINT", "127.0.0.1:" + receiver.port()));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theSeedsCurlBecomesAGenAiTraceInTheCallersTrace() {
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        HttpResponse<String> r = proxy.post("/chat/completions", SEED_BODY,
                "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + callerSpan + "-01",
                "Cookie", "session=" + COOKIE_SECRET,
                "x-api-key", X_API_KEY_SECRET);
        assertEquals(200, r.statusCode(), r.body());

        List<Span> spans = awaitTrace(traceId, 2);
        Span server = OtlpFindings.ofKind(spans, Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();
        Span client = OtlpFindings.ofKind(spans, Span.SpanKind.SPAN_KIND_CLIENT).orElseThrow();
        String all = spans.toString();

        // Trace continuation: the proxy's SERVER span is the caller's span's child, in the caller's trace.
        assertEquals(callerSpan, Otlp.hex(server.getParentSpanId()), all);
        assertEquals(traceId, Otlp.hex(client.getTraceId()), all);
        assertEquals(Otlp.hex(server.getSpanId()), Otlp.hex(client.getParentSpanId()), all);
        assertEquals("POST /chat/completions", server.getName(), all);

        // The GenAI inference span.
        assertEquals("chat gpt-3.5-turbo", client.getName(), all);
        assertEquals("chat", Otlp.string(client, "gen_ai.operation.name"));
        // The deployment is llmhub's built-in mock (mock_response): no request went to OpenAI.
        assertEquals("mock", Otlp.string(client, "gen_ai.provider.name"));
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
        // The mock is no network server: no made-up server.address / server.port.
        assertFalse(Otlp.attributes(client).containsKey("server.address"), all);
        assertFalse(Otlp.attributes(client).containsKey("server.port"), all);
        assertEquals("llmhub", receiver.traceRequests.get(0).getResourceSpans(0).getResource().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals("service.name")).findFirst().orElseThrow().getValue().getStringValue());

        // The headers event is there, with the caller's secrets replaced.
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
    void aStreamedCallIsTracedToo() {
        String traceId = randomHex(16);
        // As docs/destinations/otel.md's curl: a session and tags in metadata, plus the seed's "user".
        String body = SEED_BODY.replace("\"model\": \"gpt-3.5-turbo\",", "\"model\": \"gpt-3.5-turbo\", \"stream\": true,"
                + " \"user\": \"ishaan-app\", \"metadata\": {\"session_id\": \"session-42\", \"tags\": [\"prod\"]},");
        HttpResponse<String> r = proxy.post("/chat/completions", body,
                "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("data: [DONE]"), r.body());
        String callId = r.headers().firstValue("x-llmhub-call-id").orElseThrow();

        List<Span> spans = awaitTrace(traceId, 2);
        Span client = OtlpFindings.ofKind(spans, Span.SpanKind.SPAN_KIND_CLIENT).orElseThrow();
        assertEquals("chat gpt-3.5-turbo", client.getName(), spans.toString());
        assertEquals(callId, Otlp.string(client, "llmhub.call.id"));
        assertTrue(Otlp.attributes(client).get("gen_ai.request.stream").getBoolValue(), client.toString());
        assertTrue(Otlp.dbl(client, "gen_ai.response.time_to_first_chunk") >= 0, client.toString());
        assertEquals(List.of("stop"), Otlp.strings(client, "gen_ai.response.finish_reasons"));
        assertTrue(Otlp.integer(client, "gen_ai.usage.output_tokens") > 0, client.toString());
        assertEquals("session-42", Otlp.string(client, "gen_ai.conversation.id"));
        Span server = OtlpFindings.ofKind(spans, Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();
        for (Span span : List.of(server, client)) {
            assertEquals("ishaan-app", Otlp.string(span, "user.id"), span.toString());
            assertEquals(List.of("prod"), Otlp.strings(span, "llmhub.metadata.tags"), span.toString());
        }
        proxy.await("gen_ai.client.operation.time_to_first_chunk", WAIT,
                () -> !points("gen_ai.client.operation.time_to_first_chunk", "gpt-3.5-turbo").isEmpty());
        assertNoSecretReachedTheReceiver();
    }

    @Test
    void aFailedUpstreamCallIsAnErrorSpan() {
        String traceId = randomHex(16);
        HttpResponse<String> r = proxy.post("/chat/completions", SEED_BODY.replace("\"gpt-3.5-turbo\"", "\"broken\""),
                "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body());

        List<Span> spans = awaitTrace(traceId, 2);
        Span client = OtlpFindings.ofKind(spans, Span.SpanKind.SPAN_KIND_CLIENT).orElseThrow();
        Span server = OtlpFindings.ofKind(spans, Span.SpanKind.SPAN_KIND_SERVER).orElseThrow();
        assertEquals("chat broken", client.getName(), spans.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, client.getStatus().getCode(), client.toString());
        assertFalse(Otlp.string(client, "error.type").isBlank(), client.toString());
        assertEquals("openai", Otlp.string(client, "gen_ai.provider.name"));
        assertEquals("127.0.0.1", Otlp.string(client, "server.address"));
        assertEquals(r.statusCode(), Otlp.integer(server, "http.response.status_code"));
        proxy.await("gen_ai.client.operation.duration with error.type", WAIT, () ->
                points("gen_ai.client.operation.duration", "broken").stream()
                        .anyMatch(p -> !OtlpFindings.attribute(p, "error.type").isEmpty()));
        assertNoSecretReachedTheReceiver();
    }

    @Test
    void aCollectorThatGoesAwayAndComesBackGetsEveryCallOnce(@TempDir Path work) throws Exception {
        try (OtlpReceiver flaky = new OtlpReceiver().start();
             ProxyProcess hub = ProxyProcess.start(work, config(closedPort()), null,
                     Map.of("OTEL_ENDPOINT", "http://127.0.0.1:" + flaky.port()))) {
            List<String> traces = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                traces.add(call(hub));
            }
            // Mid-traffic: the first calls are delivered before the receiver goes away.
            hub.await("the first 3 calls delivered", WAIT, () -> callIds(flaky, traces).size() == 3);
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

            hub.await("a CLIENT span of each of the " + traces.size() + " calls", WAIT,
                    () -> callIds(flaky, traces).size() == traces.size());
            Map<String, Set<String>> ids = callIds(flaky, traces);
            assertEquals(traces.size(), ids.size(), ids.toString());
            // A re-sent span is the same span (same id), never a second tree.
            ids.forEach((callId, spanIds) -> assertEquals(1, spanIds.size(), callId + " came as " + spanIds));

            // Metrics are recorded once per call, however many tries its batch took.
            hub.await("gen_ai.client.token.usage counting each of the " + traces.size() + " calls once", WAIT,
                    () -> OtlpFindings.histogramPoints(flaky, "gen_ai.client.token.usage").stream()
                            .filter(p -> OtlpFindings.attribute(p, "gen_ai.token.type").equals("input"))
                            .mapToLong(HistogramDataPoint::getCount).max().orElse(0) == traces.size());
            hub.await("exported == calls on /metrics", WAIT,
                    () -> OtlpFindings.recordsTotal(scrape(hub), "otel", "exported") == traces.size());
            String scrape = scrape(hub);
            System.out.printf("calls=%d retried=%.0f exported=%.0f received CLIENT spans=%d%n", traces.size(),
                    OtlpFindings.recordsTotal(scrape, "otel", "retried"), OtlpFindings.recordsTotal(scrape, "otel", "exported"),
                    flaky.spans().stream().filter(sp -> sp.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).count());
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
        HttpResponse<String> r = hub.post("/chat/completions", SEED_BODY, "Authorization", "Bearer " + MASTER_KEY,
                "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
        assertEquals(200, r.statusCode(), r.body());
        return traceId;
    }

    /** @return call id → the span ids its CLIENT span arrived with, for the CLIENT spans of those traces */
    private static Map<String, Set<String>> callIds(OtlpReceiver r, List<String> traces) {
        Set<String> wanted = Set.copyOf(traces);
        Map<String, Set<String>> out = new HashMap<>();
        for (Span s : r.spans()) {
            if (s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && wanted.contains(Otlp.hex(s.getTraceId()))) {
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

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
