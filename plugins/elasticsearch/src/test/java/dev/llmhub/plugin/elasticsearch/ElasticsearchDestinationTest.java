package dev.llmhub.plugin.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.core.record.SampleRecords;
import dev.llmhub.plugin.testkit.TestPluginContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The destination against a real Elasticsearch 9.2 server: documents, mapping, aggregations, retries. */
class ElasticsearchDestinationTest {
    @RegisterExtension
    static final ElasticsearchServer server = ElasticsearchServer.shared();
    private static final ElasticsearchRest rest = new ElasticsearchRest(server.url());

    static TestPluginContext context(String index, Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put("url", server.url());
        settings.put("index", index);
        return TestPluginContext.of("elasticsearch", settings, Map.of());
    }

    static Destination destination(TestPluginContext context) {
        return new ElasticsearchDestinationFactory().create(context);
    }

    @Test
    void everyRecordBecomesOneDocumentWithMappedTypes() {
        String index = "calls-mapping";
        List<CallRecord> batch = new ArrayList<>(Records.successes(11));
        batch.add(SampleRecords.rateLimitedFailure().build());
        // Anthropic's Messages and OpenAI's Responses routes are documents like any other call.
        batch.add(SampleRecords.seedSuccess().id("call-messages-1").callType(CallType.MESSAGES).requestPath("/v1/messages")
                .provider("anthropic").build());
        batch.add(SampleRecords.seedSuccess().id("call-responses-1").callType(CallType.RESPONSES).requestPath("/v1/responses")
                .build());
        try (Destination d = destination(context(index, Map.of()))) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        assertEquals(14, rest.count(index));
        for (String type : List.of("messages", "responses")) {
            JsonNode hit = rest.search(index, "{\"query\":{\"term\":{\"call_type\":\"" + type + "\"}}}").at("/hits/hits/0/_source");
            assertEquals("call-" + type + "-1", hit.path("id").asText(), type);
            assertEquals(21, hit.at("/usage/total_tokens").asLong(), type);
            assertEquals("good morning good sir", hit.at("/messages/0/content").asText(), type);
        }

        JsonNode mappings = rest.get("/" + index + "/_mapping");
        String backing = mappings.fieldNames().next();
        assertTrue(backing.startsWith(".ds-" + index + "-"), "written through a data stream, got " + backing);
        JsonNode p = mappings.path(backing).path("mappings").path("properties");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("@timestamp", "date");
        expected.put("id", "keyword");
        expected.put("model", "keyword");
        expected.put("model_group", "keyword");
        expected.put("deployment", "keyword");
        expected.put("provider", "keyword");
        expected.put("user", "keyword");
        expected.put("end_user", "keyword");
        expected.put("status", "keyword");
        expected.put("tags", "keyword");
        expected.put("start_time", "date");
        expected.put("end_time", "date");
        expected.put("duration_ms", "long");
        expected.put("upstream_latency_ms", "long");
        expected.put("metadata", "flattened");
        expected.put("headers", "flattened");
        expected.put("request_params", "flattened");
        expected.put("client_ip", "ip");
        expected.forEach((field, type) -> assertEquals(type, p.path(field).path("type").asText(), field));
        assertEquals("keyword", p.at("/api_key/properties/hash/type").asText());
        assertEquals("keyword", p.at("/error/properties/type/type").asText());
        assertEquals("long", p.at("/usage/properties/total_tokens/type").asText());
        assertEquals("long", p.at("/usage/properties/prompt_tokens/type").asText());
        assertEquals("double", p.at("/cost/properties/total/type").asText());
        assertEquals("text", p.at("/messages/properties/content/type").asText());
        assertEquals("text", p.at("/response/properties/content/type").asText());

        CallRecord first = batch.get(0);
        JsonNode doc = rest.search(index, "{\"query\":{\"term\":{\"id\":\"" + first.id() + "\"}}}")
                .at("/hits/hits/0");
        assertEquals(first.id(), doc.path("_id").asText(), "the document id is the record id");
        JsonNode src = doc.path("_source");
        assertEquals("2026-11-26T10:15:30.123456Z", src.path("@timestamp").asText());
        assertEquals(src.path("start_time").asText(), src.path("@timestamp").asText());
        assertEquals("gpt-3.5-turbo", src.path("model").asText());
        assertEquals("ishaan-app", src.path("user").asText());
        assertEquals("[\"prod\",\"checkout\"]", src.path("tags").toString());
        assertEquals("user", src.at("/messages/0/role").asText());
        assertEquals("good morning good sir", src.at("/messages/0/content").asText());
        assertEquals("Good morning! How can I assist you today?", src.at("/response/content").asText());
        assertEquals(21, src.at("/usage/total_tokens").asLong());
        assertEquals(3.65e-05, src.at("/cost/total").asDouble());
        assertEquals(CallRecord.REDACTED, src.at("/headers/authorization").asText());
        assertEquals("session-42", src.at("/metadata/session_id").asText());

        // Searchable as mapped: a keyword term on a flattened key and a full-text match on the response.
        assertEquals(14, rest.search(index, "{\"query\":{\"term\":{\"metadata.session_id\":\"session-42\"}}}")
                .at("/hits/total/value").asLong());
        assertEquals(13, rest.search(index, "{\"query\":{\"match\":{\"response.content\":\"assist\"}}}")
                .at("/hits/total/value").asLong());
        JsonNode failure = rest.search(index, "{\"query\":{\"term\":{\"status\":\"failure\"}}}").at("/hits/hits/0/_source");
        assertEquals("rate_limit_error", failure.at("/error/type").asText());
        assertEquals(429, failure.at("/error/http_status").asInt());
    }

    @Test
    void termsOnModelAndUserAndSumOfCostWorkOutOfTheBox() {
        String index = "calls-aggs";
        List<CallRecord> batch = List.of(
                Records.call("gpt-4o", "alice", 0.5, "2026-11-25"),
                Records.call("gpt-4o", "bob", 0.25, "2026-11-25"),
                Records.call("gpt-4o", "alice", 1.0, "2026-11-26"),
                Records.call("claude-sonnet", "bob", 2.0, "2026-11-26"),
                Records.call("claude-sonnet", "bob", 0.125, "2026-11-26"));
        try (Destination d = destination(context(index, Map.of()))) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        JsonNode aggs = rest.search(index, """
                {"size":0,"aggs":{
                  "models":{"terms":{"field":"model"},"aggs":{"cost":{"sum":{"field":"cost.total"}}}},
                  "users":{"terms":{"field":"user"}},
                  "cost":{"sum":{"field":"cost.total"}},
                  "per_day":{"date_histogram":{"field":"@timestamp","calendar_interval":"day"},
                             "aggs":{"models":{"terms":{"field":"model"},"aggs":{"cost":{"sum":{"field":"cost.total"}}}}}}}}
                """).path("aggregations");
        assertEquals(3.875, aggs.at("/cost/value").asDouble());
        assertEquals(Map.of("gpt-4o", 3L, "claude-sonnet", 2L), buckets(aggs.path("models")));
        assertEquals(Map.of("bob", 3L, "alice", 2L), buckets(aggs.path("users")));
        JsonNode gpt = aggs.at("/models/buckets").get(aggs.at("/models/buckets/0/key").asText().equals("gpt-4o") ? 0 : 1);
        assertEquals(1.75, gpt.at("/cost/value").asDouble());
        JsonNode days = aggs.at("/per_day/buckets");
        assertEquals(2, days.size());
        assertEquals("2026-11-25T00:00:00.000Z", days.get(0).path("key_as_string").asText());
        assertEquals(0.75, days.get(0).at("/models/buckets/0/cost/value").asDouble());
    }

    @Test
    void exportingTheSameBatchTwiceKeepsOneDocumentPerRecord() {
        String index = "calls-idempotent";
        List<CallRecord> batch = Records.successes(7);
        TestPluginContext ctx = context(index, Map.of());
        try (Destination d = destination(ctx)) {
            assertEquals(ExportResult.success(), d.export(batch));
            assertEquals(ExportResult.success(), d.export(batch), "a record already there is delivered");
            assertEquals(ExportResult.success(), d.export(batch.subList(2, 5)));
        }
        // A second proxy (or a restart) installs the template again and resends: still one document each.
        try (Destination again = destination(ctx)) {
            assertEquals(ExportResult.success(), again.export(batch));
        }
        assertEquals(7, rest.count(index));
        assertEquals(17, ctx.metrics().count("documents_already_present"));
    }

    @Test
    void aDocumentTheMappingRejectsFailsForGoodAloneAndIsCountedAndLoggedOnce() {
        String index = "calls-rejected";
        List<CallRecord> batch = new ArrayList<>(Records.successes(4));
        // flattened fields refuse objects nested deeper than 20 levels: a real mapping error.
        CallRecord deep = Records.deepMetadata(25);
        batch.add(2, deep);
        TestPluginContext ctx = context(index, Map.of());
        try (Destination d = destination(ctx)) {
            ExportResult result = d.export(batch);
            ExportResult.Partial partial = assertInstanceOf(ExportResult.Partial.class, result);
            assertEquals(List.of(deep.id()), List.copyOf(partial.failures().keySet()));
            ExportResult.Permanent why = assertInstanceOf(ExportResult.Permanent.class, partial.failures().get(deep.id()));
            assertTrue(why.reason().contains("HTTP 400"), why.reason());

            CallRecord again = Records.deepMetadata(30);
            ExportResult second = d.export(List.of(again));
            assertInstanceOf(ExportResult.Permanent.class,
                    assertInstanceOf(ExportResult.Partial.class, second).failures().get(again.id()));
        }
        assertEquals(4, rest.count(index));
        assertEquals(2, ctx.metrics().count("documents_rejected"));
        List<String> warnings = ctx.logger().lines().stream()
                .filter(l -> l.startsWith("WARNING") && l.contains("rejected")).toList();
        assertEquals(1, warnings.size(), "logged once per reason: " + ctx.logger().lines());
        assertFalse(warnings.get(0).contains("Preview of field"), warnings.get(0));
    }

    @Test
    void noSecretReachesAStoredDocumentOrALogLine() {
        String index = "calls-secrets";
        String fakeKey = "sk-llmhub-FAKE-7Qx9Zt41";
        List<CallRecord> batch = new ArrayList<>();
        for (CallRecord r : Records.successes(3)) {
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            // What the proxy hands over for a request that carried the key: the value is redacted.
            headers.put("x-api-key", CallRecord.REDACTED);
            headers.put("authorization", CallRecord.REDACTED);
            batch.add(r.toBuilder().headers(headers).build());
        }
        // The cluster runs without security and ignores the credentials; they must still go nowhere else.
        TestPluginContext ctx = context(index, Map.of("api_key", fakeKey));
        try (Destination d = destination(ctx)) {
            assertEquals(ExportResult.success(), d.export(batch));
        }
        JsonNode all = rest.search(index, "{\"size\":100,\"query\":{\"match_all\":{}}}");
        assertEquals(3, all.at("/hits/total/value").asLong());
        String stored = all.toString();
        assertFalse(stored.contains("7Qx9Zt41"), "the key is in a stored document");
        assertTrue(stored.contains("\"x-api-key\":\"[REDACTED]\""), stored);
        assertEquals(0, rest.search(index, "{\"query\":{\"query_string\":{\"query\":\"*7Qx9Zt41*\"}}}")
                .at("/hits/total/value").asLong());
        assertTrue(ctx.logger().lines().stream().noneMatch(l -> l.contains("7Qx9Zt41")), ctx.logger().lines().toString());
    }

    private static Map<String, Long> buckets(JsonNode terms) {
        Map<String, Long> out = new HashMap<>();
        terms.path("buckets").forEach(b -> out.put(b.path("key").asText(), b.path("doc_count").asLong()));
        return out;
    }
}
