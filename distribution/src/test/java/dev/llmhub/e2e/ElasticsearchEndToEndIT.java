package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static dev.llmhub.e2e.Texts.closedPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.plugin.elasticsearch.ElasticsearchRest;
import dev.llmhub.plugin.elasticsearch.ElasticsearchServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's "how it will be checked", against the assembled distribution running as a process and a
 * real Elasticsearch 9.2 beside it: calls through the proxy become one typed document each, the
 * aggregations agree with what the client was told, the server killed (SIGKILL) and restarted in the
 * middle of traffic loses and duplicates nothing, and no secret the client sent is stored anywhere in
 * the index.
 *
 * <p>One proxy and one server for the class; each test tags its calls ({@code metadata.tags}) and
 * counts only its own documents, so the tests do not depend on their order.
 */
class ElasticsearchEndToEndIT {
    private static final String INDEX = "llmhub-e2e-calls";
    private static final String MASTER_KEY = "sk-e2e-master-Qx7v2Lp9Rw";
    private static final String UPSTREAM_KEY = "sk-e2e-upstream-Jm4Tz8Kd";
    private static final String ALPHA_TEXT = "Alpha answers briefly.";
    private static final String BETA_TEXT = "Beta answers at somewhat greater length than alpha does.";
    private static final double ALPHA_IN = 1.5e-06;
    private static final double ALPHA_OUT = 2.0e-06;
    private static final Duration DELIVERY = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    @RegisterExtension
    static final ElasticsearchServer es = ElasticsearchServer.shared();
    private static final ElasticsearchRest rest = new ElasticsearchRest(es.url());
    @AutoClose
    private static ProxyProcess proxy;

    @BeforeAll
    static void startProxy() {
        String config = """
                model_list:
                  - model_name: e2e-alpha
                    litellm_params:
                      model: mock/alpha
                      mock_response: "%s"
                      input_cost_per_token: %s
                      output_cost_per_token: %s
                  - model_name: e2e-beta
                    litellm_params:
                      model: mock/beta
                      mock_response: "%s"
                      input_cost_per_token: 3.0e-06
                      output_cost_per_token: 6.0e-06
                """.formatted(ALPHA_TEXT, ALPHA_IN, ALPHA_OUT, BETA_TEXT)
                + ConfigYaml.unreachableModel("e2e-broken", "broken", closedPort(), UPSTREAM_KEY) + "\n"
                + ConfigYaml.elasticsearchOnly(es.url(), INDEX, "200ms") + """

                general_settings:
                  master_key: %s
                """.formatted(MASTER_KEY);
        proxy = ProxyProcess.start(work, config, null, Map.of());
    }

    @Test
    void everyCallBecomesOneTypedDocumentAndTheAggregationsMatchWhatClientsWereTold() throws IOException {
        String tag = "e2e-traffic";
        record Planned(String model, String user, int times) { }
        List<Planned> plan = List.of(new Planned("e2e-alpha", "alice", 3), new Planned("e2e-alpha", "bob", 2),
                new Planned("e2e-beta", "bob", 2), new Planned("e2e-beta", "carol", 2),
                new Planned("e2e-broken", "alice", 1), new Planned("e2e-broken", "carol", 2));
        Map<String, Long> perModel = new TreeMap<>();
        Map<String, Long> perUser = new TreeMap<>();
        double costTold = 0;
        int calls = 0;
        JsonNode anAlphaAnswer = null;
        String anAlphaCost = null;
        for (Planned p : plan) {
            for (int i = 0; i < p.times(); i++) {
                HttpResponse<String> r = chat(tag, p.model(), p.user(), false, "question " + calls, bearer());
                calls++;
                perModel.merge(p.model(), 1L, Long::sum);
                perUser.merge(p.user(), 1L, Long::sum);
                if (p.model().equals("e2e-broken")) {
                    assertEquals(502, r.statusCode(), r.body());
                    assertFalse(r.headers().firstValue("x-llmhub-response-cost").isPresent());
                } else {
                    assertEquals(200, r.statusCode(), r.body());
                    String cost = r.headers().firstValue("x-llmhub-response-cost").orElseThrow();
                    costTold += Double.parseDouble(cost);
                    if (p.model().equals("e2e-alpha")) {
                        anAlphaAnswer = JSON.readTree(r.body());
                        anAlphaCost = cost;
                    }
                }
            }
        }
        // One streamed call: no cost header (headers go before the body); its cost follows from the
        // usage chunk and the configured prices.
        HttpResponse<String> streamed = chat(tag, "e2e-alpha", "dave", true, "stream it", bearer());
        calls++;
        perModel.merge("e2e-alpha", 1L, Long::sum);
        perUser.merge("dave", 1L, Long::sum);
        assertEquals(200, streamed.statusCode(), streamed.body());
        String streamId = streamed.headers().firstValue("x-llmhub-call-id").orElseThrow();
        StringBuilder streamedText = new StringBuilder();
        JsonNode streamUsage = null;
        for (String line : streamed.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                chunk.path("choices").forEach(c -> streamedText.append(c.path("delta").path("content").asText("")));
                if (chunk.hasNonNull("usage")) {
                    streamUsage = chunk.get("usage");
                }
            }
        }
        assertEquals(ALPHA_TEXT, streamedText.toString());
        assertTrue(streamUsage != null, "no usage chunk in the stream:\n" + streamed.body());
        double streamCost = streamUsage.path("prompt_tokens").asLong() * ALPHA_IN
                + streamUsage.path("completion_tokens").asLong() * ALPHA_OUT;

        List<JsonNode> docs = awaitDocuments(tag, calls);
        assertExactlyOnce(docs, calls);

        // The mapping the template installed: the types that make terms and sum work.
        JsonNode props = rest.get("/" + INDEX + "/_mapping").elements().next().path("mappings").path("properties");
        Map<String, String> expectedTypes = Map.ofEntries(Map.entry("@timestamp", "date"), Map.entry("id", "keyword"),
                Map.entry("model", "keyword"), Map.entry("user", "keyword"), Map.entry("status", "keyword"),
                Map.entry("stream", "boolean"), Map.entry("duration_ms", "long"), Map.entry("headers", "flattened"),
                Map.entry("metadata", "flattened"), Map.entry("tags", "keyword"));
        expectedTypes.forEach((field, type) -> assertEquals(type, props.path(field).path("type").asText(), field + " in " + props));
        assertEquals("double", props.path("cost").path("properties").path("total").path("type").asText(), props.toString());
        assertEquals("long", props.path("usage").path("properties").path("total_tokens").path("type").asText());
        assertEquals("keyword", props.path("api_key").path("properties").path("hash").path("type").asText());
        assertEquals("keyword", props.path("error").path("properties").path("type").path("type").asText());
        assertEquals("text", props.path("messages").path("properties").path("content").path("type").asText());

        // Aggregations, only over this test's documents.
        JsonNode aggs = rest.search(INDEX, """
                {"size": 0, "query": {"term": {"tags": "%s"}},
                 "aggs": {"models": {"terms": {"field": "model"}}, "users": {"terms": {"field": "user"}},
                          "cost": {"sum": {"field": "cost.total"}},
                          "statuses": {"terms": {"field": "status"}}}}""".formatted(tag)).path("aggregations");
        assertEquals(perModel, buckets(aggs.path("models")));
        assertEquals(perUser, buckets(aggs.path("users")));
        assertEquals(Map.of("success", (long) calls - 3, "failure", 3L), buckets(aggs.path("statuses")));
        double expectedCost = costTold + streamCost;
        assertEquals(expectedCost, aggs.path("cost").path("value").asDouble(), expectedCost * 1e-9,
                "sum of cost.total vs the x-llmhub-response-cost headers plus the stream's usage at the configured prices");

        // One document of each kind, field by field.
        String alphaResponseId = anAlphaAnswer.path("id").asText();
        JsonNode ok = only(docs, d -> d.path("response").path("id").asText().equals(alphaResponseId));
        assertEquals("chat", ok.path("call_type").asText());
        assertEquals("success", ok.path("status").asText());
        assertEquals("e2e-alpha", ok.path("model").asText());
        assertEquals("mock", ok.path("provider").asText(), ok.toString());
        assertEquals(false, ok.path("stream").asBoolean(true));
        assertEquals(Double.parseDouble(anAlphaCost), ok.path("cost").path("total").asDouble());
        assertEquals(anAlphaAnswer.path("usage").path("prompt_tokens").asLong(), ok.path("usage").path("prompt_tokens").asLong());
        assertEquals(anAlphaAnswer.path("usage").path("completion_tokens").asLong(), ok.path("usage").path("completion_tokens").asLong());
        assertEquals(ALPHA_TEXT, ok.path("response").path("content").asText());
        assertEquals(sha256(MASTER_KEY), ok.path("api_key").path("hash").asText());
        assertTrue(ok.path("@timestamp").isTextual() && ok.path("duration_ms").isIntegralNumber(), ok.toString());

        JsonNode stream = only(docs, d -> d.path("id").asText().equals(streamId));
        assertEquals(true, stream.path("stream").asBoolean(false));
        assertEquals("dave", stream.path("user").asText());
        assertEquals(ALPHA_TEXT, stream.path("response").path("content").asText());
        assertEquals(streamUsage.path("completion_tokens").asLong(), stream.path("usage").path("completion_tokens").asLong());
        assertEquals(streamCost, stream.path("cost").path("total").asDouble(), streamCost * 1e-9);
        assertTrue(stream.path("time_to_first_token_ms").isIntegralNumber(), stream.toString());

        JsonNode failed = docs.stream().filter(d -> d.path("model").asText().equals("e2e-broken")).findFirst().orElseThrow();
        assertEquals("failure", failed.path("status").asText());
        assertEquals(502, failed.path("error").path("http_status").asInt(), failed.toString());
        assertFalse(failed.path("error").path("type").asText().isEmpty(), failed.toString());
        assertEquals("openai", failed.path("provider").asText(), failed.toString());
    }

    @Test
    void anOutageInTheMiddleOfTrafficLosesNoRecordAndDuplicatesNone() throws Exception {
        String tag = "e2e-outage";
        double retriedBefore = laneCount("retried");
        int sent = sendCalls(tag, 10);
        awaitDocuments(tag, sent);

        // Traffic runs on a second thread for the whole outage. The server is stopped and started on
        // the test's own thread: the harness starts it under setpriv --pdeathsig, and Linux sends that
        // signal when the starting *thread* ends, so a server started from a short-lived thread dies with it.
        CountDownLatch outageOver = new CountDownLatch(1);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> traffic = background.submit(() -> {
                int n = 0;
                do {
                    sendOne(tag, n++);
                } while (!outageOver.await(50, TimeUnit.MILLISECONDS));
                return n;
            });
            Instant outage = Instant.now();
            try {
                killServer();
                // The server is down: calls keep succeeding for clients, exports fail and are retried.
                sent += sendCalls(tag, 10);
                proxy.await("an export to the stopped server to be retried", DELIVERY,
                        () -> laneCount("retried") > retriedBefore);
                sent += sendCalls(tag, 10);
                es.start();
            } finally {
                outageOver.countDown();
            }
            sent += traffic.get(60, TimeUnit.SECONDS);
            System.out.println("outage of " + Duration.between(outage, Instant.now()).toMillis() + " ms, " + sent
                    + " calls in all");
            sent += sendCalls(tag, 10);
        } finally {
            background.shutdownNow();
        }

        List<JsonNode> docs = awaitDocuments(tag, sent);
        assertExactlyOnce(docs, sent);
        assertTrue(laneCount("retried") > retriedBefore, "no retry counted:\n" + proxy.metrics());
        assertEquals(0.0, Math.max(0, laneCount("failed")), "records given up:\n" + proxy.metrics());
        assertEquals(0.0, Math.max(0, laneCount("dropped")), "records dropped:\n" + proxy.metrics());
    }

    @Test
    void noSecretTheClientSentIsStoredInAnyDocument() throws IOException {
        String tag = "e2e-secrets";
        String cookie = "ck-e2e-cookie-Vb6Hn3Ws";
        String headerKey = "xk-e2e-header-Pf5Gy1Ac";
        String bodyKey = "bk-e2e-body-Ue9Rq2Ls";
        String metadataSecret = "pw-e2e-meta-Ko3Nd7Xe";
        String[] secrets = {MASTER_KEY, UPSTREAM_KEY, cookie, headerKey, bodyKey, metadataSecret};
        String[] clientHeaders = {"Authorization", "Bearer " + MASTER_KEY, "Cookie", "session=" + cookie + "; theme=dark",
                "x-api-key", headerKey};
        int sent = 0;
        for (String model : List.of("e2e-alpha", "e2e-beta", "e2e-broken")) {
            for (boolean stream : List.of(false, true)) {
                HttpResponse<String> r = post(secretBody(tag, model, stream, bodyKey, metadataSecret), clientHeaders);
                sent++;
                assertEquals(model.equals("e2e-broken") ? 502 : 200, r.statusCode(), r.body());
            }
        }
        // The master key sent the other way: as x-api-key, with no Authorization header.
        assertEquals(200, post(secretBody(tag, "e2e-alpha", false, bodyKey, metadataSecret),
                "Cookie", "session=" + cookie, "x-api-key", MASTER_KEY).statusCode());
        sent++;

        List<JsonNode> docs = awaitDocuments(tag, sent);
        for (JsonNode d : docs) {
            // What was there is kept as redacted, so the scan below looks at documents that carried them.
            assertEquals(sha256(MASTER_KEY), d.path("api_key").path("hash").asText(), d.toString());
            assertEquals("[REDACTED]", d.path("headers").path("cookie").asText(), d.toString());
            assertEquals("[REDACTED]", d.path("headers").path("x-api-key").asText(), d.toString());
            // A per-request api_key is not forwarded as a parameter; if it ever is, it must be redacted.
            assertTrue(!d.path("request_params").has("api_key")
                    || d.path("request_params").path("api_key").asText().equals("[REDACTED]"), d.toString());
            assertEquals("[REDACTED]", d.path("metadata").path("db_password").asText(), d.toString());
        }
        // The search below would find a message text: it does search these documents.
        assertEquals(sent, hits(searchEverywhere("zebraquokka42")), "the q= search does not reach the messages");

        JsonNode all = rest.search(INDEX, "{\"size\": 10000, \"query\": {\"match_all\": {}}}").path("hits");
        assertEquals(rest.count(INDEX), all.path("hits").size(), "the scan must see every document in the index");
        String everything = all.path("hits").toString();
        for (String secret : secrets) {
            assertEquals(0, hits(searchEverywhere(secret)), "a search for a secret found documents");
            assertFalse(everything.contains(secret), "a secret is stored in a document's _source");
            assertFalse(proxy.output().contains(secret), "a secret is in the proxy's output");
        }
    }

    /**
     * Kills the Elasticsearch server JVM with SIGKILL, as a crash would (no flush, no clean shutdown),
     * then lets the harness reap its launcher and wait until the port is free. Only a descendant of
     * this test JVM is touched: the one server this class started.
     */
    private static void killServer() {
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("org.elasticsearch.bootstrap.Elasticsearch"))
                .toList();
        assertEquals(1, servers.size(), "the Elasticsearch server process among this JVM's descendants");
        servers.get(0).destroyForcibly();
        servers.get(0).onExit().orTimeout(60, TimeUnit.SECONDS).join();
        es.stop();
    }

    // --- calls ---

    private static HttpResponse<String> chat(String tag, String model, String user, boolean stream, String text,
            String... headers) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        body.put("user", user);
        body.putObject("metadata").putArray("tags").add(tag);
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return post(body, headers);
    }

    private static ObjectNode secretBody(String tag, String model, boolean stream, String bodyKey, String metadataSecret) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "zebraquokka42 says hello");
        body.put("user", "eve");
        body.put("api_key", bodyKey);
        ObjectNode metadata = body.putObject("metadata");
        metadata.putArray("tags").add(tag);
        metadata.put("db_password", metadataSecret);
        body.put("stream", stream);
        return body;
    }

    private static HttpResponse<String> post(ObjectNode body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return proxy.post("/v1/chat/completions", body.toString(), all);
    }

    /** Successful calls, spread over both mock models and a few users; each must succeed for the client. */
    private static int sendCalls(String tag, int n) {
        for (int i = 0; i < n; i++) {
            sendOne(tag, i);
        }
        return n;
    }

    private static void sendOne(String tag, int i) {
        HttpResponse<String> r = chat(tag, i % 2 == 0 ? "e2e-alpha" : "e2e-beta", "user-" + (i % 3), false, "call " + i, bearer());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static String[] bearer() {
        return new String[] {"Authorization", "Bearer " + MASTER_KEY};
    }

    // --- what landed ---

    /**
     * Waits until the lane is empty (nothing queued, in flight or waiting to retry) and at least
     * {@code expected} documents carry the tag, then returns them all: more than expected fails the caller.
     */
    private static List<JsonNode> awaitDocuments(String tag, int expected) {
        proxy.await(expected + " documents tagged " + tag + " in " + INDEX, DELIVERY,
                () -> lag() == 0 && countTagged(tag) >= expected);
        JsonNode hits = rest.search(INDEX, """
                {"size": 10000, "query": {"term": {"tags": "%s"}}}""".formatted(tag)).path("hits");
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode hit : hits.path("hits")) {
            assertEquals(hit.path("_id").asText(), hit.path("_source").path("id").asText(), "_id must be the record id");
            docs.add(hit.path("_source"));
        }
        assertEquals(hits.path("total").path("value").asLong(), docs.size());
        return docs;
    }

    private static void assertExactlyOnce(List<JsonNode> docs, int calls) {
        Set<String> ids = new HashSet<>();
        docs.forEach(d -> ids.add(d.path("id").asText()));
        assertEquals(calls, docs.size(), "documents vs calls");
        assertEquals(calls, ids.size(), "distinct record ids vs calls");
    }

    private static long countTagged(String tag) {
        rest.post("/" + INDEX + "/_refresh", null);
        return rest.post("/" + INDEX + "/_count", "{\"query\": {\"term\": {\"tags\": \"" + tag + "\"}}}").path("count").asLong(-1);
    }

    private static JsonNode searchEverywhere(String text) {
        rest.post("/" + INDEX + "/_refresh", null);
        return rest.get("/" + INDEX + "/_search?size=0&q=" + URLEncoder.encode("\"" + text + "\"", StandardCharsets.UTF_8));
    }

    private static long hits(JsonNode answer) {
        assertTrue(answer.has("hits"), answer.toString());
        return answer.path("hits").path("total").path("value").asLong(-1);
    }

    private static Map<String, Long> buckets(JsonNode terms) {
        Map<String, Long> out = new TreeMap<>();
        terms.path("buckets").forEach(b -> out.put(b.path("key").asText(), b.path("doc_count").asLong()));
        return out;
    }

    private static JsonNode only(List<JsonNode> docs, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = docs.stream().filter(which).toList();
        assertEquals(1, found.size(), "documents matching: " + found);
        return found.get(0);
    }

    // --- the proxy's own view ---

    private static double laneCount(String outcome) {
        return proxy.metrics().records("elasticsearch", outcome);
    }

    private static double lag() {
        return proxy.metrics().lag("elasticsearch");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
