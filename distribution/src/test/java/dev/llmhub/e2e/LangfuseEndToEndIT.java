package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.plugin.langfuse.OtlpSpans.attributes;
import static dev.llmhub.plugin.langfuse.OtlpSpans.json;
import static dev.llmhub.plugin.langfuse.OtlpSpans.string;
import static dev.llmhub.plugin.langfuse.OtlpSpans.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.plugin.langfuse.LangfuseServerModel;
import dev.llmhub.plugin.langfuse.LangfuseStandIn;
import dev.llmhub.plugin.langfuse.OtlpSpans;
import dev.llmhub.server.SeedRequests;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Langfuse flow against the assembled distribution and the Langfuse stand-in (a real HTTP
 * server that checks Basic auth and headers, decompresses and decodes OTLP with the official protos,
 * validates batches against Langfuse's OpenAPI, and models what Langfuse's server stores):
 * {@code success_callback: ["langfuse"]} with the three {@code LANGFUSE_*} environment variables,
 * {@code llmhub --test} as a second process, the seed's curl, a stream, a failure and LiteLLM's metadata
 * keys, in both modes; the server's rules (existing traces left alone, caller ids, prompt links, a batch
 * refused as too large split with nothing dropped), in both modes; then a wrong secret.
 */
class LangfuseEndToEndIT {
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private static final String MASTER_KEY = "sk-1234";
    /** Values the client sends in headers the proxy must never pass on. */
    private static final String X_API_KEY = "xak-e2e-DISTINCT-4f8e21";
    private static final String COOKIE_VALUE = "sess-cookie-DISTINCT-b71d0c";
    private static final String WRONG_SECRET = "sk-lf-WRONG-e2e-secret-93ab";

    private static final String MOCK_REPLY = "Good morning! How can I assist you today?";

    /**
     * The seed's config (its model, {@code success_callback: ["langfuse"]}), made to run without a
     * provider account (a mock reply with prices), plus failures, a master key and short lane timings.
     */
    private static String config(String api) {
        return config(api, "200ms");
    }

    private static String config(String api, String flushInterval) {
        return """
                model_list:
                  - model_name: gpt-3.5-turbo
                    litellm_params:
                      model: gpt-3.5-turbo
                      mock_response: "%s"
                      input_cost_per_token: 1.5e-06
                      output_cost_per_token: 2.0e-06
                """.formatted(MOCK_REPLY)
                + ConfigYaml.unreachableModel("broken-gpt", "gpt-3.5-turbo", Texts.closedPort(), "sk-upstream-unused") + """

                litellm_settings:
                  success_callback: ["langfuse"]
                  failure_callback: ["langfuse"]

                callback_settings:
                  langfuse:
                    api: %s
                    flush_interval: %s
                    retry_initial_backoff: 100ms
                    drain_timeout: 5s

                general_settings:
                  master_key: %s
                """.formatted(api, flushInterval, MASTER_KEY);
    }


    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String METADATA_BODY = """
            {"model": "gpt-3.5-turbo",
             "messages": [{"role": "user", "content": "metadata call please"}],
             "user": "body-user",
             "metadata": {"trace_id": "%s", "session_id": "sess-e2e-9", "trace_name": "checkout-flow",
                          "trace_user_id": "user-77", "generation_name": "summarise", "tags": ["e2e", "checkout"],
                          "trace_metadata": {"team": "payments"}, "customer_tier": "gold"}}""".formatted(TRACE_ID);
    private static final String STREAM_BODY = """
            {"model": "gpt-3.5-turbo", "stream": true,
             "messages": [{"role": "user", "content": "stream this call"}]}""";
    private static final String FAILING_BODY = """
            {"model": "broken-gpt", "messages": [{"role": "user", "content": "this call fails upstream"}]}""";

    private static Map<String, String> env(LangfuseStandIn standIn, String secret) {
        return Map.of("LANGFUSE_PUBLIC_KEY", LangfuseStandIn.PUBLIC_KEY, "LANGFUSE_SECRET_KEY", secret,
                "LANGFUSE_HOST", standIn.url());
    }

    /** The calls both modes make; what Langfuse receives is checked per mode. */
    private static void makeTheCalls(ProxyProcess proxy, Path work) {
        CliRun test = llmhubTest(work, proxy.url());
        assertEquals(0, test.exit(), test.output());
        assertTrue(test.output().contains(MOCK_REPLY), test.output());
        assertFalse(test.output().contains(LangfuseStandIn.SECRET_KEY), test.output());

        HttpResponse<String> seed = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING, "Authorization", "Bearer " + MASTER_KEY);
        assertEquals(200, seed.statusCode(), seed.body());
        assertEquals("3.65e-05", seed.headers().firstValue("x-llmhub-response-cost").orElse(""));

        HttpResponse<String> md = proxy.post("/chat/completions", METADATA_BODY, "Authorization", "Bearer " + MASTER_KEY,
                "Content-Type", "application/json", "x-api-key", X_API_KEY, "Cookie", "session=" + COOKIE_VALUE);
        assertEquals(200, md.statusCode(), md.body());

        HttpResponse<String> stream = proxy.post("/chat/completions", STREAM_BODY, "Authorization", "Bearer " + MASTER_KEY,
                "Content-Type", "application/json");
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.body().contains("data: [DONE]"), stream.body());

        HttpResponse<String> failing = proxy.post("/chat/completions", FAILING_BODY, "Authorization", "Bearer " + MASTER_KEY,
                "Content-Type", "application/json");
        assertTrue(failing.statusCode() >= 500, failing.statusCode() + " " + failing.body());
    }

    private static final int CALLS = 5;

    @Test
    void otelModeSendsOneTraceWithOneGenerationPerCall(@TempDir Path work) throws InterruptedException {
        try (LangfuseStandIn standIn = LangfuseStandIn.start()) {
            ProxyProcess proxy = ProxyProcess.start(work, config("otel"), null, env(standIn, LangfuseStandIn.SECRET_KEY));
            try (proxy) {
                makeTheCalls(proxy, work);
                standIn.awaitSpans(CALLS, ARRIVAL);
                awaitExported(proxy, CALLS);
                assertEquals(0.0, records(proxy, "failed") + records(proxy, "retried") + records(proxy, "dropped"));
                proxy.stop(); // drains the lane: anything still queued is sent now, so the counts below are final
            }
            assertProxyOutputHasNoSecret(proxy);
            List<Span> spans = standIn.spans();
            assertEquals(List.of(), standIn.violations(), "by Langfuse's server rules");
            assertEquals(CALLS, spans.size(), "one span per call, no retried duplicate: " + spans);
            assertOtlpHeaders(standIn);
            Set<String> traces = new HashSet<>();
            for (Span s : spans) {
                assertTrue(s.getParentSpanId().isEmpty(), "each call is a root span: trace plus its generation");
                assertTrue(traces.add(OtlpSpans.traceId(s)), "one trace per call");
                assertEquals("generation", string(s, "langfuse.observation.type"));
                assertTrue(attributes(s).keySet().stream().noneMatch(k -> k.startsWith("gen_ai.")), "no copies: " + attributes(s).keySet());
            }

            Span cli = spanWithInput(spans, "this is a test request, write a short poem");
            assertTrue(string(cli, "langfuse.observation.output").contains(MOCK_REPLY));

            Span seed = spanWithInput(spans, "good morning good sir");
            assertEquals("chat gpt-3.5-turbo", seed.getName());
            assertEquals("gpt-3.5-turbo", string(seed, "langfuse.observation.model.name"));
            assertEquals(0.2, json(seed, "langfuse.observation.model.parameters").get("temperature").asDouble());
            JsonNode usage = json(seed, "langfuse.observation.usage_details");
            assertEquals(11, usage.get("input").asLong());
            assertEquals(10, usage.get("output").asLong());
            assertEquals(21, usage.get("total").asLong());
            JsonNode cost = json(seed, "langfuse.observation.cost_details");
            assertEquals(1.65e-05, cost.get("input").asDouble(), 1e-12);
            assertEquals(2.0e-05, cost.get("output").asDouble(), 1e-12);
            assertEquals(3.65e-05, cost.get("total").asDouble(), 1e-12);
            assertEquals("ishaan-app", string(seed, "user.id"));
            // The trace takes its name from its root span (no trace_name was sent).
            assertEquals("chat gpt-3.5-turbo", rootWrite(standIn, OtlpSpans.traceId(seed)).fields().get("name"));
            assertEquals("good morning good sir", json(seed, "langfuse.observation.input").get(0).get("content").asText());
            assertEquals(MOCK_REPLY, json(seed, "langfuse.observation.output").get("content").asText());
            assertEquals(Status.StatusCode.STATUS_CODE_UNSET, seed.getStatus().getCode(), "a success is DEFAULT level");
            assertFalse(attributes(seed).containsKey("langfuse.observation.completion_start_time"));

            Span md = spanWithInput(spans, "metadata call please");
            assertEquals(TRACE_ID, OtlpSpans.traceId(md));
            assertEquals("summarise", md.getName());
            assertEquals("checkout-flow", string(md, "langfuse.trace.name"));
            assertEquals("user-77", string(md, "user.id"));
            assertEquals("sess-e2e-9", string(md, "session.id"));
            assertEquals(List.of("e2e", "checkout"), strings(md, "langfuse.trace.tags"));
            assertEquals("payments", json(md, "langfuse.trace.metadata").get("team").asText());
            assertEquals("gold", json(md, "langfuse.observation.metadata").get("customer_tier").asText());

            Span stream = spanWithInput(spans, "stream this call");
            Instant firstToken = Instant.parse(string(stream, "langfuse.observation.completion_start_time"));
            assertBetween(firstToken, nanos(stream.getStartTimeUnixNano()), nanos(stream.getEndTimeUnixNano()));
            assertEquals(MOCK_REPLY, json(stream, "langfuse.observation.output").get("content").asText());

            Span failed = spanWithInput(spans, "this call fails upstream");
            // Langfuse files a span with status ERROR at level ERROR, with the status message.
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());
            assertFalse(failed.getStatus().getMessage().isBlank());

            assertNoSecretReceived(standIn);
        }
    }

    @Test
    void ingestionModeSendsSpecValidTraceAndGenerationEvents(@TempDir Path work) throws InterruptedException {
        LangfuseStandIn.loadSpecNow();
        try (LangfuseStandIn standIn = LangfuseStandIn.start()) {
            ProxyProcess proxy = ProxyProcess.start(work, config("ingestion"), null, env(standIn, LangfuseStandIn.SECRET_KEY));
            try (proxy) {
                makeTheCalls(proxy, work);
                standIn.awaitEvents(2 * CALLS, ARRIVAL);
                awaitExported(proxy, CALLS);
                assertEquals(0.0, records(proxy, "failed") + records(proxy, "retried") + records(proxy, "dropped"));
                proxy.stop(); // drains the lane: anything still queued is sent now, so the counts below are final
            }
            assertProxyOutputHasNoSecret(proxy);
            assertEquals(List.of(), standIn.violations(), "against Langfuse's published openapi.yml");
            List<JsonNode> events = standIn.events();
            assertEquals(2 * CALLS, events.size(), "a trace-create and a generation-create per call: " + events);
            List<JsonNode> generations = bodies(events, "generation-create");
            List<JsonNode> traces = bodies(events, "trace-create");
            assertEquals(CALLS, generations.size());
            assertEquals(CALLS, traces.size());
            for (JsonNode g : generations) {
                assertEquals(1, traces.stream().filter(t -> t.get("id").equals(g.get("traceId"))).count(),
                        "each generation has its own trace: " + g);
            }

            JsonNode cli = generationWithInput(generations, "this is a test request, write a short poem");
            assertTrue(cli.get("output").toString().contains(MOCK_REPLY), cli.toString());

            JsonNode seed = generationWithInput(generations, "good morning good sir");
            assertEquals("chat gpt-3.5-turbo", seed.get("name").asText());
            assertEquals("gpt-3.5-turbo", seed.get("model").asText());
            assertEquals(0.2, seed.get("modelParameters").get("temperature").asDouble());
            assertEquals(11, seed.get("usageDetails").get("input").asLong());
            assertEquals(10, seed.get("usageDetails").get("output").asLong());
            assertEquals(21, seed.get("usageDetails").get("total").asLong());
            assertEquals(3.65e-05, seed.get("costDetails").get("total").asDouble(), 1e-12);
            assertEquals("DEFAULT", seed.get("level").asText());
            assertEquals(MOCK_REPLY, seed.get("output").get("content").asText());
            assertFalse(seed.has("completionStartTime"));
            JsonNode seedTrace = traceOf(traces, seed);
            assertEquals("ishaan-app", seedTrace.get("userId").asText());
            assertEquals("chat gpt-3.5-turbo", seedTrace.get("name").asText());

            JsonNode md = generationWithInput(generations, "metadata call please");
            assertEquals(TRACE_ID, md.get("traceId").asText());
            assertEquals("summarise", md.get("name").asText());
            assertEquals("gold", md.get("metadata").get("customer_tier").asText());
            JsonNode mdTrace = traceOf(traces, md);
            assertEquals("checkout-flow", mdTrace.get("name").asText());
            assertEquals("user-77", mdTrace.get("userId").asText());
            assertEquals("sess-e2e-9", mdTrace.get("sessionId").asText());
            assertEquals(List.of("e2e", "checkout"), texts(mdTrace.get("tags")));
            assertEquals("payments", mdTrace.get("metadata").get("team").asText());

            JsonNode stream = generationWithInput(generations, "stream this call");
            assertBetween(Instant.parse(stream.get("completionStartTime").asText()),
                    Instant.parse(stream.get("startTime").asText()), Instant.parse(stream.get("endTime").asText()));

            JsonNode failed = generationWithInput(generations, "this call fails upstream");
            assertEquals("ERROR", failed.get("level").asText());
            assertFalse(failed.get("statusMessage").asText().isBlank());

            assertNoSecretReceived(standIn);
        }
    }

    private static final String EXISTING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319d";
    private static final String CALLER_SPAN = "b7ad6b7169203331";
    private static final String CALLER_UUID = "6F1C0E9E-54B4-4C1A-9A53-2D3B1F1A7C11";
    /** Calls of the burst that one lane batch carries, larger together than the stand-in accepts. */
    private static final int BURST = 8;

    private static String chat(String content, String metadataJson) {
        return """
                {"model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "%s"}], "metadata": %s}"""
                .formatted(content, metadataJson);
    }

    /** The calls whose treatment follows a rule of Langfuse's server; what arrives is checked per mode. */
    private static void makeTheRuleCalls(ProxyProcess proxy, String existingTrace) {
        List<HttpResponse<String>> answers = List.of(
                proxy.post("/chat/completions", chat("join an existing trace", """
                        {"existing_trace_id": "%s", "trace_name": "not-mine", "session_id": "s-join",
                         "trace_metadata": {"owner": "someone else"}}""".formatted(existingTrace)),
                        "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json"),
                proxy.post("/chat/completions", chat("caller ids please", """
                        {"trace_id": "order-1234", "generation_id": "gen-abc"}"""),
                        "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json"),
                proxy.post("/chat/completions", chat("uuid trace please", """
                        {"trace_id": "%s"}""".formatted(CALLER_UUID)),
                        "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json"),
                proxy.post("/chat/completions", chat("under the caller's span", "{}"),
                        "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json",
                        "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"),
                proxy.post("/chat/completions", chat("prompted call", """
                        {"prompt": {"name": "support-answer", "version": 3}}"""),
                        "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json"));
        answers.forEach(a -> assertEquals(200, a.statusCode(), a.body()));
    }

    /** Sends {@link #BURST} calls at once, each with content that hardly compresses, so one batch holds them all. */
    private static void sendTheBurst(ProxyProcess proxy) {
        try (ExecutorService clients = Executors.newFixedThreadPool(BURST)) {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String content = "burst " + i + " " + noise(4_000);
                calls.add(clients.submit(() -> proxy.post("/chat/completions", chat(content, "{}"),
                        "Authorization", "Bearer " + MASTER_KEY, "Content-Type", "application/json")));
            }
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
            }
        } catch (Exception e) {
            throw new AssertionError("the burst failed", e);
        }
    }

    @Test
    void otelModeFollowsLangfusesServerRulesAndSplitsWhatIsTooLarge(@TempDir Path work) throws InterruptedException {
        int calls = 5 + BURST;
        try (LangfuseStandIn standIn = LangfuseStandIn.start()) {
            ProxyProcess proxy = ProxyProcess.start(work, config("otel", "1s"), null, env(standIn, LangfuseStandIn.SECRET_KEY));
            try (proxy) {
                makeTheRuleCalls(proxy, EXISTING_TRACE);
                standIn.awaitSpans(5, ARRIVAL);
                // A proxy in front of Langfuse that takes about three of these calls per request.
                standIn.limitBodyBytes(12_000);
                sendTheBurst(proxy);
                standIn.awaitSpans(calls, ARRIVAL);
                awaitExported(proxy, calls);
                assertNothingLost(proxy, calls);
                proxy.stop();
            }
            assertEquals(List.of(), standIn.violations(), "by Langfuse's server rules");
            assertOtlpHeaders(standIn);
            List<Span> spans = standIn.spans();

            Span joined = spanWithInput(spans, "join an existing trace");
            assertEquals(EXISTING_TRACE, OtlpSpans.traceId(joined));
            assertFalse(joined.getParentSpanId().isEmpty(), "not a root: Langfuse would rewrite the trace from a root");
            assertTrue(attributes(joined).keySet().stream().noneMatch(k -> k.startsWith("langfuse.trace.")
                    || k.equals("session.id") || k.equals("user.id") || k.equals("langfuse.release")), attributes(joined).keySet().toString());
            List<LangfuseServerModel.TraceWrite> writes = standIn.server().traceWrites(EXISTING_TRACE);
            assertFalse(writes.isEmpty());
            for (LangfuseServerModel.TraceWrite w : writes) {
                assertEquals(LangfuseServerModel.TraceWriteKind.SHALLOW, w.kind());
                assertFalse(w.fields().containsKey("name") || w.fields().containsKey("input") || w.fields().containsKey("output"), w.toString());
            }

            Span ids = spanWithInput(spans, "caller ids please");
            // Langfuse's SDK rule for an id that is not hex: create_trace_id(seed=id), the first 16 (8) bytes of its SHA-256.
            assertEquals(sha256Hex("order-1234", 16), OtlpSpans.traceId(ids));
            assertEquals(sha256Hex("gen-abc", 8), OtlpSpans.spanId(ids));
            JsonNode idsMetadata = json(ids, "langfuse.observation.metadata");
            assertEquals("order-1234", idsMetadata.get("trace_id").asText(), "the caller's id stays searchable");
            assertEquals("gen-abc", idsMetadata.get("generation_id").asText());
            Span uuid = spanWithInput(spans, "uuid trace please");
            assertEquals(CALLER_UUID.toLowerCase(java.util.Locale.ROOT).replace("-", ""), OtlpSpans.traceId(uuid));
            assertEquals(CALLER_UUID, json(uuid, "langfuse.observation.metadata").get("trace_id").asText());

            Span child = spanWithInput(spans, "under the caller's span");
            assertEquals(CALLER_TRACE, OtlpSpans.traceId(child));
            assertEquals(CALLER_SPAN, java.util.HexFormat.of().formatHex(child.getParentSpanId().toByteArray()));
            assertFalse(attributes(child).containsKey("langfuse.trace.name"), "the caller's trace keeps its name");

            Span prompted = spanWithInput(spans, "prompted call");
            LangfuseServerModel.Observation promptedObservation = standIn.server().observations().stream()
                    .filter(o -> o.id().equals(OtlpSpans.spanId(prompted))).findFirst().orElseThrow();
            assertEquals("support-answer", promptedObservation.promptName().orElseThrow());
            assertEquals(3, promptedObservation.promptVersion().orElseThrow());

            assertBurstSplit(standIn, proxy, calls, spans.stream().map(OtlpSpans::spanId).toList());
            assertNoSecretReceived(standIn);
        }
    }

    @Test
    void ingestionModeKeepsCallerIdsAndFollowsTheSameRules(@TempDir Path work) throws InterruptedException {
        LangfuseStandIn.loadSpecNow();
        int calls = 5 + BURST;
        try (LangfuseStandIn standIn = LangfuseStandIn.start()) {
            ProxyProcess proxy = ProxyProcess.start(work, config("ingestion", "1s"), null, env(standIn, LangfuseStandIn.SECRET_KEY));
            try (proxy) {
                makeTheRuleCalls(proxy, "trace-from-elsewhere");
                standIn.awaitEvents(9, ARRIVAL);
                standIn.limitBodyBytes(30_000);
                sendTheBurst(proxy);
                awaitExported(proxy, calls);
                assertNothingLost(proxy, calls);
                proxy.stop();
            }
            assertEquals(List.of(), standIn.violations(), "against Langfuse's published openapi.yml and server rules");
            for (LangfuseStandIn.Received req : standIn.received()) {
                assertNull(req.header("Content-Encoding"), "the ingestion endpoint reads bodies as they come");
                assertNull(req.header("x-langfuse-sdk-name"), "no SDK claim");
            }
            List<JsonNode> generations = bodies(standIn.events(), "generation-create");
            List<JsonNode> traces = bodies(standIn.events(), "trace-create");

            JsonNode joined = generationWithInput(generations, "join an existing trace");
            assertEquals("trace-from-elsewhere", joined.get("traceId").asText(), "any id is kept in this mode");
            assertTrue(traces.stream().noneMatch(t -> t.get("id").asText().equals("trace-from-elsewhere")),
                    "the trace is left to its owner");

            JsonNode ids = generationWithInput(generations, "caller ids please");
            assertEquals("order-1234", ids.get("traceId").asText());
            assertEquals("gen-abc", ids.get("id").asText());
            assertEquals("order-1234", traceOf(traces, ids).get("id").asText());
            assertEquals(CALLER_UUID, generationWithInput(generations, "uuid trace please").get("traceId").asText());

            JsonNode child = generationWithInput(generations, "under the caller's span");
            assertEquals(CALLER_TRACE, child.get("traceId").asText());
            assertEquals(CALLER_SPAN, child.get("parentObservationId").asText());
            assertFalse(traceOf(traces, child).has("name"), "the caller's trace keeps its name");

            JsonNode prompted = generationWithInput(generations, "prompted call");
            assertEquals("support-answer", prompted.get("promptName").asText());
            assertEquals(3, prompted.get("promptVersion").asInt());

            assertBurstSplit(standIn, proxy, calls, generations.stream().map(g -> g.get("id").asText()).toList());
        }
    }

    /** The burst was refused as too large with several calls in one request, then split: every call arrived once. */
    private static void assertBurstSplit(LangfuseStandIn standIn, ProxyProcess proxy, int calls, List<String> deliveredIds) {
        List<LangfuseStandIn.Received> refused = standIn.refusedAsTooLarge();
        assertTrue(refused.stream().anyMatch(r -> r.items() > 2), "a request with several calls was refused as too large: " + refused);
        assertEquals(calls, deliveredIds.size(), "every call delivered once: " + deliveredIds);
        assertEquals(calls, new HashSet<>(deliveredIds).size());
        assertTrue(proxy.output().lines().anyMatch(l -> l.contains("HTTP 413") && l.contains("max_request_bytes")),
                "one line says what happened:\n" + proxy.output());
    }

    /** /metrics: every call exported, none failed, dropped or retried (a refusal as too large is split inside the export). */
    private static void assertNothingLost(ProxyProcess proxy, int calls) {
        assertEquals(calls, (int) records(proxy, "exported"));
        assertEquals(0.0, records(proxy, "failed") + records(proxy, "dropped") + records(proxy, "retried"));
    }

    @Test
    void aWrongSecretIsCountedFailedAndLoggedOnceWhileCallsKeepSucceeding(@TempDir Path work) {
        try (LangfuseStandIn standIn = LangfuseStandIn.start();
             ProxyProcess proxy = ProxyProcess.start(work, config("otel"), null, env(standIn, WRONG_SECRET))) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING, "Authorization", "Bearer " + MASTER_KEY);
                assertEquals(200, r.statusCode(), r.body());
                // Wait for each batch so the three calls are three refused exports, not one.
                int expected = i + 1;
                proxy.await(expected + " failed record(s)", ARRIVAL, () -> records(proxy, "failed") >= expected);
            }
            assertEquals(3.0, records(proxy, "failed"));
            assertEquals(0.0, records(proxy, "exported"));
            assertTrue(standIn.spans().isEmpty());
            assertTrue(standIn.received().size() >= 3, "the stand-in answered 401 to each export");

            String out = proxy.output();
            String host = standIn.url();
            List<String> naming = out.lines().filter(l -> l.contains("Langfuse at " + host)).toList();
            // The plugin says it once, at SEVERE; the pipeline then notes each refused batch at WARNING.
            List<String> severe = naming.stream().filter(l -> l.contains(" SEVERE ")).toList();
            assertEquals(1, severe.size(), "one clear line naming the host:\n" + out);
            assertTrue(severe.get(0).contains("rejected the key pair") && severe.get(0).contains("LANGFUSE_SECRET_KEY"),
                    severe.get(0));
            assertTrue(naming.stream().allMatch(l -> severe.contains(l)
                    || l.contains(" WARNING ") && l.contains("lane 'langfuse': 1 record(s) rejected permanently: HTTP 401")),
                    "no other line about the refused key:\n" + out);
            assertFalse(out.contains(WRONG_SECRET), "the secret key leaked into the proxy's output:\n" + out);
            assertFalse(out.contains(base64(LangfuseStandIn.PUBLIC_KEY + ":" + WRONG_SECRET)), out);
            assertFalse(out.contains(MASTER_KEY), out);
        }
    }

    /** The only secret on the wire is the Basic auth header: bodies and other headers carry none. */
    private static void assertNoSecretReceived(LangfuseStandIn standIn) {
        String basic = base64(LangfuseStandIn.PUBLIC_KEY + ":" + LangfuseStandIn.SECRET_KEY);
        List<String> secrets = List.of(MASTER_KEY, X_API_KEY, COOKIE_VALUE, LangfuseStandIn.SECRET_KEY, basic);
        assertFalse(standIn.received().isEmpty());
        for (LangfuseStandIn.Received req : standIn.received()) {
            // ISO-8859-1 keeps every byte of a protobuf body, so a secret shows up whatever surrounds it.
            String body = new String(req.body(), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(body.contains(secret), "'" + secret + "' is in the body sent to " + req.path());
            }
            req.headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Authorization")) {
                    String joined = String.join(",", values);
                    secrets.forEach(secret -> assertFalse(joined.contains(secret), name + " carries '" + secret + "'"));
                }
            });
            assertEquals("Basic " + basic, req.header("Authorization"));
        }
    }

    /** Every OTLP request: gzip, the ingestion version that takes the direct write path, no SDK claim. */
    private static void assertOtlpHeaders(LangfuseStandIn standIn) {
        assertFalse(standIn.received().isEmpty());
        for (LangfuseStandIn.Received req : standIn.received()) {
            assertEquals("gzip", req.header("Content-Encoding"), req.path());
            assertEquals("4", req.header("x-langfuse-ingestion-version"));
            assertNull(req.header("x-langfuse-sdk-name"));
            assertNull(req.header("x-langfuse-sdk-version"));
            assertEquals("application/x-protobuf", req.header("Content-Type"));
            assertTrue(req.wireBytes() < req.body().length, "compressed");
        }
    }

    private static LangfuseServerModel.TraceWrite rootWrite(LangfuseStandIn standIn, String traceId) {
        List<LangfuseServerModel.TraceWrite> roots = standIn.server().traceWrites(traceId).stream()
                .filter(w -> w.kind() == LangfuseServerModel.TraceWriteKind.ROOT).toList();
        assertEquals(1, roots.size(), standIn.server().traceWrites(traceId).toString());
        return roots.get(0);
    }

    private static String sha256Hex(String text, int bytes) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** @return letters and digits that hardly compress, different on every call */
    private static String noise(int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) {
            b.append(Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
        }
        return b.substring(0, chars);
    }

    private static void assertProxyOutputHasNoSecret(ProxyProcess proxy) {
        String out = proxy.output();
        for (String secret : List.of(MASTER_KEY, X_API_KEY, COOKIE_VALUE, LangfuseStandIn.SECRET_KEY)) {
            assertFalse(out.contains(secret), "'" + secret + "' is in the proxy's output:\n" + out);
        }
    }

    private static Span spanWithInput(List<Span> spans, String content) {
        List<Span> found = spans.stream().filter(s -> attributes(s).containsKey("langfuse.observation.input")
                && string(s, "langfuse.observation.input").contains(content)).toList();
        assertEquals(1, found.size(), "spans whose input has '" + content + "': " + found);
        return found.get(0);
    }

    private static List<JsonNode> bodies(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).map(e -> e.get("body")).toList();
    }

    private static JsonNode generationWithInput(List<JsonNode> generations, String content) {
        List<JsonNode> found = generations.stream().filter(g -> g.path("input").toString().contains(content)).toList();
        assertEquals(1, found.size(), "generations whose input has '" + content + "': " + found);
        return found.get(0);
    }

    private static JsonNode traceOf(List<JsonNode> traces, JsonNode generation) {
        return traces.stream().filter(t -> t.get("id").equals(generation.get("traceId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no trace-create for " + generation));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertBetween(Instant t, Instant from, Instant to) {
        assertFalse(t.isBefore(from) || t.isAfter(to), t + " not within " + from + " .. " + to);
    }

    private static Instant nanos(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitExported(ProxyProcess proxy, int count) {
        proxy.await(count + " exported record(s) in /metrics", ARRIVAL, () -> records(proxy, "exported") >= count);
    }

    /** @return {@code llmhub_destination_records_total{destination="langfuse",outcome=…}} from /metrics */
    private static double records(ProxyProcess proxy, String outcome) {
        HttpResponse<String> metrics = proxy.get("/metrics");
        assertEquals(200, metrics.statusCode(), metrics.body());
        return Math.max(0, new PrometheusScrape(metrics.body()).value("llmhub_destination_records_total",
                "destination", "langfuse", "outcome", outcome));
    }

    /** What {@code bin/llmhub --test} printed and how it exited. */
    private record CliRun(int exit, String output) {
    }

    /** Runs {@code bin/llmhub --test --url <proxy> --key <master key>} as its own process, like a user does. */
    private static CliRun llmhubTest(Path work, String url) {
        try {
            Path out = work.resolve("llmhub-test.out");
            ProcessBuilder pb = new ProcessBuilder(ProxyProcess.distribution().resolve("bin/llmhub").toString(),
                    "--test", "--url", url, "--key", MASTER_KEY)
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("llmhub --test did not finish within 60 s:\n" + Files.readString(out));
            }
            return new CliRun(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
