package dev.llmhub.e2e;

import static dev.llmhub.plugin.langfuse.OtlpSpans.attributes;
import static dev.llmhub.plugin.langfuse.OtlpSpans.json;
import static dev.llmhub.plugin.langfuse.OtlpSpans.string;
import static dev.llmhub.plugin.langfuse.OtlpSpans.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmhub.plugin.langfuse.LangfuseStandIn;
import dev.llmhub.plugin.langfuse.OtlpSpans;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Langfuse flow against the assembled distribution and the Langfuse stand-in (a real HTTP
 * server that checks Basic auth, decodes OTLP with the official protos and validates batches against
 * Langfuse's OpenAPI): {@code success_callback: ["langfuse"]} with the three {@code LANGFUSE_*}
 * environment variables, {@code llmhub --test} as a second process, the seed's curl, a stream, a
 * failure and LiteLLM's metadata keys, in both modes; then a wrong secret.
 */
class LangfuseEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        return """
                model_list:
                  - model_name: gpt-3.5-turbo
                    litellm_params:
                      model: gpt-3.5-turbo
                      mock_response: "%s"
                      input_cost_per_token: 1.5e-06
                      output_cost_per_token: 2.0e-06
                  - model_name: broken-gpt
                    litellm_params:
                      model: openai/gpt-3.5-turbo
                      api_base: http://127.0.0.1:9/v1
                      api_key: sk-upstream-unused
                      max_retries: 0
                      timeout: 2

                litellm_settings:
                  success_callback: ["langfuse"]
                  failure_callback: ["langfuse"]

                callback_settings:
                  langfuse:
                    api: %s
                    flush_interval: 200ms
                    retry_initial_backoff: 100ms
                    drain_timeout: 5s

                general_settings:
                  master_key: %s
                """.formatted(MOCK_REPLY, api, MASTER_KEY);
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
            assertEquals(List.of(), standIn.violations());
            assertEquals(CALLS, spans.size(), "one span per call, no retried duplicate: " + spans);
            Set<String> traces = new HashSet<>();
            for (Span s : spans) {
                assertTrue(s.getParentSpanId().isEmpty(), "each call is a root span: trace plus its generation");
                assertTrue(traces.add(OtlpSpans.traceId(s)), "one trace per call");
                assertEquals("generation", string(s, "langfuse.observation.type"));
                assertEquals("chat", string(s, "gen_ai.operation.name"));
            }

            Span cli = spanWithInput(spans, "this is a test request, write a short poem");
            assertTrue(string(cli, "langfuse.observation.output").contains(MOCK_REPLY));

            Span seed = spanWithInput(spans, "good morning good sir");
            assertEquals("chat gpt-3.5-turbo", seed.getName());
            assertEquals("gpt-3.5-turbo", string(seed, "gen_ai.request.model"));
            assertEquals(0.2, json(seed, "langfuse.observation.model.parameters").get("temperature").asDouble());
            JsonNode usage = json(seed, "langfuse.observation.usage_details");
            assertEquals(11, usage.get("input").asLong());
            assertEquals(10, usage.get("output").asLong());
            assertEquals(21, usage.get("total").asLong());
            JsonNode cost = json(seed, "langfuse.observation.cost_details");
            assertEquals(1.65e-05, cost.get("input").asDouble(), 1e-12);
            assertEquals(2.0e-05, cost.get("output").asDouble(), 1e-12);
            assertEquals(3.65e-05, cost.get("total").asDouble(), 1e-12);
            assertEquals("ishaan-app", string(seed, "langfuse.user.id"));
            assertEquals("chat gpt-3.5-turbo", string(seed, "langfuse.trace.name"));
            assertEquals("good morning good sir", json(seed, "langfuse.observation.input").get(0).get("content").asText());
            assertEquals(MOCK_REPLY, json(seed, "langfuse.observation.output").get("content").asText());
            assertFalse(attributes(seed).containsKey("langfuse.observation.level"), "a success is DEFAULT level");
            assertFalse(attributes(seed).containsKey("langfuse.observation.completion_start_time"));

            Span md = spanWithInput(spans, "metadata call please");
            assertEquals(TRACE_ID, OtlpSpans.traceId(md));
            assertEquals("summarise", md.getName());
            assertEquals("checkout-flow", string(md, "langfuse.trace.name"));
            assertEquals("user-77", string(md, "langfuse.user.id"));
            assertEquals("sess-e2e-9", string(md, "langfuse.session.id"));
            assertEquals(List.of("e2e", "checkout"), strings(md, "langfuse.trace.tags"));
            assertEquals("payments", json(md, "langfuse.trace.metadata").get("team").asText());
            assertEquals("gold", json(md, "langfuse.observation.metadata").get("customer_tier").asText());

            Span stream = spanWithInput(spans, "stream this call");
            Instant firstToken = Instant.parse(string(stream, "langfuse.observation.completion_start_time"));
            assertBetween(firstToken, nanos(stream.getStartTimeUnixNano()), nanos(stream.getEndTimeUnixNano()));
            assertEquals(MOCK_REPLY, json(stream, "langfuse.observation.output").get("content").asText());

            Span failed = spanWithInput(spans, "this call fails upstream");
            assertEquals("ERROR", string(failed, "langfuse.observation.level"));
            assertFalse(string(failed, "langfuse.observation.status_message").isBlank());
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());

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
